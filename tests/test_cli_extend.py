"""Profiles and rules as files and plug-ins, from the command line; reports that read well."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import emessi
from emessi.cli import main
from emessi.cli._extend import RANGE_RULES, template
from emessi.cli._table import render
from emessi.method import get_profile, profile_origin
from emessi.rules import load_rules, registered_rules, rule_origin, unregister_rule

SOLO = """name = "solo-cli"
extends = "emessi"
title = "Sole entrepreneurs"
peers = { preferred = [4, 8], allowed = [3, 10] }
"""
RULES = '''from emessi import Breach, Severity, rule


@rule("cli-test-long-rule-code-here", scope="group", severity=Severity.WARNING)
def named(group, ctx):
    """Every group has a name."""
    if not group.name:
        yield Breach("name", "the group has no name")
'''


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "solo.toml").write_text(SOLO)
    (tmp_path / "cli_test_rules.py").write_text(RULES)
    yield tmp_path
    sys.modules.pop("cli_test_rules", None)
    for code in ("cli-test-long-rule-code-here",):
        if any(r.code == code for r in registered_rules()):
            unregister_rule(code)
    from emessi.method import registry

    for name in ("solo-cli", "tmpl"):
        registry._registry.pop(name, None)
        registry._origins.pop(name, None)


def test_profile_option_takes_a_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--profile FILE`` validates under the file's profile, and ``profiles`` says where from."""
    group = emessi.Group(
        "g-01",
        memberships=[emessi.Membership(f"p-{i}") for i in range(7)]
        + [emessi.Membership("f-1", emessi.Role.FACILITATOR)],
    )
    emessi.dump(group, folder / "group.json")
    assert main(["validate", "group.json"]) == 0
    assert "group-size" in capsys.readouterr().out  # 7 peers: a warning under eMessi
    assert main(["validate", "group.json", "--profile", "solo.toml"]) == 0
    out = capsys.readouterr().out
    assert "group-size" not in out
    assert "(profile solo-cli)" in out
    assert profile_origin("solo-cli") == "file solo.toml"
    assert main(["profiles", "--profile", "solo.toml", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "name,from,title"
    assert "solo-cli,file solo.toml,Sole entrepreneurs" in rows
    assert f"emessi,built-in,{get_profile('emessi').title}" in rows


def test_a_profile_file_cannot_take_a_builtin_name(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file whose profile is called 'emessi' but differs is refused with exit 2."""
    (folder / "fake.toml").write_text(SOLO.replace("solo-cli", "emessi"))
    emessi.dump(emessi.Group("g-01"), folder / "g.json")
    assert main(["validate", "g.json", "--profile", "fake.toml"]) == 2
    err = capsys.readouterr().err
    assert "like the profile of that name (built-in)" in err
    assert get_profile("emessi").peers.preferred == (5, 6)
    (folder / "bad.toml").write_text("name = [")
    assert main(["validate", "g.json", "--profile", "bad.toml"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_profile_new_writes_a_template_that_loads(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The template loads to the base profile's numbers; it is not overwritten without --force."""
    assert main(["profile", "new", "tmpl"]) == 0
    text = (folder / "tmpl.toml").read_text()
    assert text.count("\n# ") > 20  # every setting explained
    loaded = emessi.profile_from_dict(tomllib.loads(text))
    base = get_profile("emessi")
    assert loaded.name == "tmpl"
    assert (loaded.peers, loaded.meetings, loaded.workplace_size) == (
        base.peers,
        base.meetings,
        base.workplace_size,
    )
    # uncommenting a line keeps the file valid
    uncommented = text.replace("# peers = ", "peers = ")
    assert emessi.profile_from_dict(tomllib.loads(uncommented)).peers == base.peers
    capsys.readouterr()
    assert main(["profile", "new", "tmpl"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["profile", "new", "not a slug!"]) == 2
    assert "slug" in capsys.readouterr().err
    assert main(["profile", "new", "x", "--extends", "verme", "-o", "x.toml"]) == 0
    assert 'extends = "verme"' in (folder / "x.toml").read_text()


def test_template_of_every_builtin_profile_round_trips() -> None:
    """Uncommenting every setting of a template gives back the base profile's numbers."""
    for name in ("emessi", "verme"):
        base = get_profile(name)
        text = template("t", base)
        full = "\n".join(
            line[2:] if re.match(r"# [a-z_]+ = ", line) else line for line in text.splitlines()
        )
        loaded = emessi.profile_from_dict(tomllib.loads(full))
        assert loaded.peers == base.peers
        assert loaded.interval_days == base.interval_days
        assert loaded.closed == base.closed


def test_rules_option_and_origins(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--rules module`` adds a rule; ``rules`` shows it with its origin, long codes apart."""
    emessi.dump(emessi.Group("g-01"), folder / "g.json")
    assert main(["validate", "g.json", "--rules", "cli_test_rules"]) == 1
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if "cli-test-long-rule-code-here" in row)
    assert "cli-test-long-rule-code-here  name" in line  # columns never run together
    assert main(["rules", "--format", "json"]) == 0
    data = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert data["cli-test-long-rule-code-here"]["origin"] == "module cli_test_rules"
    assert data["group-size"]["origin"] == "built-in"
    assert data["group-size"]["graded_by_range"] is True


def test_bad_rules_spec_exits_2(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown module or attribute, or something that is not a rule, exits 2."""
    (folder / "notrules.py").write_text("VALUE = 3\ndef plain(): pass\n")
    emessi.dump(emessi.Group("g-01"), folder / "g.json")
    for spec, message in (
        ("no_such_module_xyz", "cannot import"),
        ("notrules:missing", "has no"),
        ("notrules:VALUE", "expected a module"),
        ("notrules:plain", "@rule"),
    ):
        assert main(["validate", "g.json", "--rules", spec]) == 2, spec
        assert message in capsys.readouterr().err, spec
    sys.modules.pop("notrules", None)


def test_load_rules_and_rule_origin() -> None:
    """Built-in rules say so; loading an already imported module adds nothing."""
    assert load_rules("emessi.rules.builtin") == []
    assert {
        rule_origin(r) for r in registered_rules() if r.check.__module__.startswith("emessi.")
    } == {"built-in"}
    with pytest.raises(emessi.errors.UsageError):
        load_rules("")


def test_rule_plugin_from_an_entry_point(tmp_path: Path) -> None:
    """An installed ``emessi.rules`` entry point is loaded and listed with its origin."""
    (tmp_path / "entry_rules.py").write_text(RULES)
    info = tmp_path / "entry_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: entry-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[emessi.rules]\nnamed = entry_rules\n")
    done = subprocess.run(
        [sys.executable, "-m", "emessi", "rules", "--format", "csv"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "cli-test-long-rule-code-here,group,warning,entry point named (entry_rules),"
        "Every group has a name." in done.stdout
    )


def test_programme_carries_its_profile(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A programme planned under a file's profile validates under it in a fresh process."""
    programme = emessi.Programme("p-1", groups=[emessi.Group("g-01")])
    emessi.dump(programme, folder / "p.json")
    assert main(["schedule", "p.json", "--profile", "solo.toml", "--start", "2026-09-01",
                 "--rule", "every 3 weeks on Tuesday at 9:00", "-o", "planned.json"]) in (0, 1)  # fmt: skip
    capsys.readouterr()
    document = json.loads((folder / "planned.json").read_text())
    assert document["version"] == 2
    assert document["profile"]["name"] == "solo-cli"
    assert document["profile"]["peers"] == {"preferred": [4, 8], "allowed": [3, 10]}
    os.remove(folder / "solo.toml")
    done = subprocess.run(
        [sys.executable, "-m", "emessi", "validate", "planned.json", "--json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(done.stdout)["profile"] == "solo-cli", done.stderr


def test_profile_by_reference(folder: Path) -> None:
    """``{"file": ...}`` is followed next to the document; absolute and parent paths are not."""
    data = emessi.to_data(emessi.Programme("p-1"))
    for reference, ok in (("solo.toml", True), ("/etc/passwd.toml", False), ("../x.toml", False)):
        (folder / "ref.json").write_text(json.dumps({**data, "profile": {"file": reference}}))
        if ok:
            assert emessi.load(folder / "ref.json").profile == "solo-cli"
            assert profile_origin("solo-cli") == "document ref.json"
        else:
            with pytest.raises(emessi.errors.DocumentError, match="relative"):
                emessi.load(folder / "ref.json")
    with pytest.raises(emessi.errors.DocumentError, match="folder"):
        emessi.loads(json.dumps({**data, "profile": {"file": "solo.toml"}}))


def test_inline_profile_that_differs_is_refused() -> None:
    """A document's inline profile that clashes with a known one is a DocumentError at $.profile."""
    data = emessi.to_data(emessi.Programme("p-1"))
    clash = {**data, "profile": {"name": "verme", "extends": "emessi"}}
    with pytest.raises(emessi.errors.DocumentError) as caught:
        emessi.from_data(clash)
    assert caught.value.problems[0].path == "$.profile"
    broken = {**data, "profile": {"name": "bad-inline", "peers": {"preferred": [5, 6]}}}
    with pytest.raises(emessi.errors.DocumentError) as caught:
        emessi.from_data(broken)
    assert all(p.path.startswith("$.profile") for p in caught.value.problems)


def test_version_1_programme_still_loads() -> None:
    """A version 1 programme document (profile by name) loads unchanged."""
    text = '{"format": "emessi/programme", "version": 1, "id": "p-1", "profile": "verme"}'
    assert emessi.loads(text).profile == "verme"


# -- reports that read well ------------------------------------------------------------


def test_table_columns_never_run_together() -> None:
    """Every column is padded to its widest cell plus two spaces, under a header and a rule."""
    lines = render(["code", "path"], [["a-very-long-rule-code-indeed", "x"], ["b", "y"]], "table")
    assert lines[0] == "code                          path"
    assert lines[1].startswith("----------------------------  ----")
    assert lines[2] == "a-very-long-rule-code-indeed  x"
    assert render(["a", "b"], [["=1+1", "-x"]], "csv") == ["a,b\n'=1+1,'-x"]


def test_rules_list_range_rules_by_range(capsys: pytest.CaptureFixture[str]) -> None:
    """``emessi rules`` has a header and shows range rules as 'warning/error by range'."""
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["code", "scope", "severity", "from", "checks", "that"]
    size = next(line for line in lines if line.startswith("group-size"))
    assert "warning/error by range" in size
    closed = next(line for line in lines if line.startswith("closed-membership"))
    assert "warning/error" not in closed


def test_range_rules_match_the_docs() -> None:
    """The CLI's list of range rules is the one the rule reference uses."""
    pytest.importorskip("sphinx")
    sys.path.insert(0, str(Path(__file__).parents[1] / "docs" / "_ext"))
    import emessi_tables

    assert emessi_tables.RANGE_RULES == RANGE_RULES


def test_validate_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``validate --format csv|json|table`` give the same findings; exit 1 for errors."""
    emessi.dump(emessi.Group("g-01"), tmp_path / "g.json")
    file = str(tmp_path / "g.json")
    assert main(["validate", file, "--format", "csv"]) == 1
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "severity,code,path,message"
    assert main(["validate", file, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data["findings"]) == len(rows) - 1
    assert main(["validate", file]) == 1
    table = capsys.readouterr().out.splitlines()
    assert table[0].endswith("(profile emessi)")
    assert table[1].split() == ["severity", "code", "path", "message"]


def test_wording_slips_are_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The slips listed in issue 13 are gone."""
    assert main(["simulate", "x.json", "--runs", "0"]) == 2
    assert "--runs: --runs" not in capsys.readouterr().err
    with pytest.raises(emessi.errors.DocumentError) as caught:
        emessi.loads('{"format": "emessi/group", "version": 9, "id": "g"}')
    assert "versions 1-1" not in str(caught.value)
    assert "emessi/group version 1" in str(caught.value)
    from emessi.simulation import Scenario

    with pytest.raises(emessi.errors.DocumentError) as caught:
        emessi.loads('{"format": "emessi/group", "version": 1, "id": "g"}', Scenario)
    assert "expected an emessi/scenario document" in str(caught.value)
    group = emessi.Group(
        "g-01",
        memberships=[
            emessi.Membership("o-1", emessi.Role.OBSERVER),
            emessi.Membership("o-2", emessi.Role.OBSERVER),
        ],
    )
    report = emessi.validate(group)
    assert any(f.message.startswith("2 observers;") for f in report.by_code("observer-count"))
    single = emessi.Group("g-02", memberships=[emessi.Membership("p-1")])
    assert report.by_code("group-size") or True
    assert any(
        f.message.startswith("1 peer;") for f in emessi.validate(single).by_code("group-size")
    )
    with pytest.raises(emessi.errors.InvalidPlanError) as plan:
        emessi.validate(
            emessi.Group("g-03", memberships=[emessi.Membership("p-1")])
        ).raise_for_errors()
    assert "(s)" not in str(plan.value).splitlines()[0]
    assert "allowed 1 or more" in get_profile("emessi").workplace_size.describe()
    assert "1000000" not in get_profile("emessi").workplace_size.describe()
