"""Strict validation: outside a profile's preferred range is an error, not a warning."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import emessi
from emessi import Bounds, Group, Meeting, Membership, Role, Severity, get_profile, validate
from emessi.errors import UsageError
from emessi.testing import groups

HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 9, 1, 14, tzinfo=HELSINKI)


def _group(meetings: int = 6, peers: int = 5, weeks: int = 4) -> Group:
    members = [Membership(f"p-{k}") for k in range(1, peers + 1)]
    members += [Membership("f-1", Role.FACILITATOR), Membership("o-1", Role.OBSERVER)]
    return Group(
        "g-01",
        memberships=members,
        meetings=[
            Meeting(n, START + timedelta(weeks=weeks * (n - 1))) for n in range(1, meetings + 1)
        ],
    )


@pytest.mark.parametrize(
    ("group", "code"),
    [
        (_group(meetings=5), "meeting-count"),
        (_group(meetings=9), "meeting-count"),
        (_group(peers=7), "group-size"),
        (_group(peers=4), "group-size"),
        (_group(weeks=8), "meeting-rhythm"),
    ],
)
def test_outside_the_preferred_range_is_a_warning_and_in_strict_mode_an_error(
    group: Group, code: str
) -> None:
    """The tolerance band gives a warning; strict mode makes the same finding an error."""
    tolerant = validate(group)
    strict = validate(group, strict=True)
    assert {f.severity for f in tolerant.by_code(code)} == {Severity.WARNING}
    assert {f.severity for f in strict.by_code(code)} == {Severity.ERROR}
    assert [f.path for f in strict.findings] == [f.path for f in tolerant.findings]
    assert tolerant.ok
    assert not strict.ok


def test_strict_messages_say_so_in_both_languages() -> None:
    """A strict finding names the preferred range and says validation was strict."""
    (english,) = validate(_group(meetings=5), strict=True).findings
    (finnish,) = validate(_group(meetings=5), strict=True, lang="fi").findings
    assert english.message == "5 meetings; the emessi profile expects 6-8 (strict validation)."
    assert finnish.message == "5 tapaamista; profiilin emessi suositus on 6-8 (tiukka tarkistus)."


def test_a_warning_is_not_called_a_requirement_in_finnish() -> None:
    """Finnish messages of range findings say 'suositus', not 'edellyttää' (requires)."""
    (finding,) = validate(_group(meetings=5), lang="fi").findings
    assert finding.severity is Severity.WARNING
    assert "edellyttää" not in finding.message
    assert "suositus on 6-8 (sallittu 5-10)" in finding.message


def test_inside_the_preferred_range_strict_changes_nothing() -> None:
    """A group that follows the method has no findings, strict or not."""
    assert validate(_group(), strict=True).findings == ()


def test_strict_wins_over_a_profile_severity_override() -> None:
    """A profile that lowers a range rule to a warning is still strict under strict=True."""
    lenient = attrs.evolve(get_profile(), name="lenient", severities={"meeting-count": "info"})
    assert validate(_group(meetings=5), lenient).by_code("meeting-count")[0].severity is (
        Severity.INFO
    )
    found = validate(_group(meetings=5), lenient, strict=True).by_code("meeting-count")
    assert found[0].severity is Severity.ERROR


def test_strict_leaves_findings_that_grade_no_number_alone() -> None:
    """A warning that is not about a range (meeting-order) keeps its severity."""
    group = _group()
    swapped = [attrs.evolve(group.meetings[0], number=2), attrs.evolve(group.meetings[1], number=1)]
    group = attrs.evolve(group, meetings=[*swapped, *group.meetings[2:]])
    found = validate(group, strict=True).by_code("meeting-order")
    assert found
    assert {f.severity for f in found} == {Severity.WARNING}


def test_a_custom_ranged_breach_is_strict_too() -> None:
    """A custom rule that marks its breach as ranged gets strict mode for free."""

    def short_meetings(meeting: Meeting, ctx: emessi.Context) -> object:
        """Meetings last at most an hour."""
        bounds = Bounds((0, 60), (0, 120))
        minutes = int(meeting.duration.total_seconds() // 60)
        severity = bounds.severity(minutes, strict=ctx.strict)
        if severity is not None:
            yield emessi.Breach("duration", f"{minutes} minutes", severity, ranged=True)

    emessi.register_rule("short-meetings", short_meetings, scope="meeting")  # type: ignore[arg-type]
    try:
        meeting = Meeting(1, START, timedelta(minutes=90))
        assert validate(meeting).by_code("short-meetings")[0].severity is Severity.WARNING
        assert validate(meeting, strict=True).by_code("short-meetings")[0].severity is (
            Severity.ERROR
        )
    finally:
        emessi.unregister_rule("short-meetings")


@given(group=groups(), strict=st.booleans())
def test_strict_only_ever_raises_severities(group: Group, strict: bool) -> None:
    """Strict mode finds the same things; each finding is as severe or more."""
    tolerant = validate(group)
    strict_report = validate(group, strict=True)
    assert [(f.code, f.path) for f in strict_report] == [(f.code, f.path) for f in tolerant]
    for before, after in zip(tolerant, strict_report, strict=True):
        assert before.severity <= after.severity


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_strict_must_be_a_bool(value: object) -> None:
    """strict='yes' is a misuse of the API, refused with the parameter's name."""
    with pytest.raises(UsageError, match="strict"):
        validate(_group(), strict=value)  # type: ignore[arg-type]


def test_cli_validate_strict_exits_1(tmp_path: Path) -> None:
    """`emessi validate --strict` turns a 5-meeting warning into an error and exit code 1."""
    file = emessi.dump(_group(meetings=5), tmp_path / "group.json")
    command = [sys.executable, "-m", "emessi", "validate", str(file)]
    tolerant = subprocess.run(command, capture_output=True, text=True, check=False)
    strict = subprocess.run([*command, "--strict"], capture_output=True, text=True, check=False)
    assert tolerant.returncode == 0, tolerant.stderr
    assert "0 errors, 1 warning" in tolerant.stdout
    assert strict.returncode == 1, strict.stderr
    assert "1 error, 0 warnings" in strict.stdout
    assert "(strict validation)" in strict.stdout
