"""The release: CI builds, checks and runs the wheel; Read the Docs builds like CI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _sphinx_commands(text: str) -> list[str]:
    return [
        re.sub(r"\s+\S+$", "", line.strip().lstrip("- "))
        for line in text.splitlines()
        if "python -m sphinx" in line
    ]


def test_read_the_docs_builds_the_docs_as_ci_does() -> None:
    """.readthedocs.yaml installs the docs extra and runs CI's sphinx commands (-n -W)."""
    rtd = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    assert "pip install '.[docs]'" in rtd
    ours, theirs = _sphinx_commands(rtd), _sphinx_commands(CI)
    assert sorted(ours) == sorted(theirs)
    assert all(" -n -W --keep-going " in command for command in ours)
    assert {"html", "doctest"} == {command.split(" -b ")[1].split()[0] for command in ours}


def test_ci_builds_checks_and_runs_the_wheel() -> None:
    """.ci/run builds sdist and wheel, twine-checks them and runs the wheel from a fresh venv."""
    assert "python -m build" in CI
    assert "twine check --strict" in CI
    release = CI.split('step "release: the wheel in a fresh venv')[1]
    assert "python3 -m venv" in release
    assert '.ci/check_wheel.py" "$repo/src" "$wheel"' in release
    assert "examples/emessi2_cohort.py" in release
    assert '"$fresh/venv/bin/emessi" validate' in release
    assert "pip install -e" not in release  # the wheel itself, not the checkout


def test_release_tools_are_in_the_dev_extra() -> None:
    """`pip install -e '.[dev]'` brings build and twine."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert {"build", "twine"} <= {re.split(r"[<>=\[ ]", d)[0] for d in extras["release"]}
    assert "release" in extras["dev"][0]


def test_install_docs_do_not_promise_pypi() -> None:
    """The install page and README say how to install from a checkout or a wheel."""
    install = (ROOT / "docs" / "introduction" / "install.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "$ pip install emessi\n" not in install
    assert "python -m build" in install
    assert "dist/emessi-*.whl" in install
    assert "python -m build" in readme
    assert "install.md" in readme
