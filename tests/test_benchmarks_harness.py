"""The benchmark harness: interleaved rounds, same counts, paired ratios (no timing asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HARNESS = Path(__file__).resolve().parents[1] / "benchmarks" / "_harness.py"


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    """benchmarks/_harness.py, imported by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_bench_harness", HARNESS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_sides_are_interleaved_with_the_same_number_of_rounds(harness: ModuleType) -> None:
    """A B A B ...: each side once per round, warm-up untimed, prepare untimed and passed on."""
    calls: list[str] = []
    sides = [
        harness.Side("a", lambda: calls.append("a")),
        harness.Side("b", lambda x: calls.append(f"b{x}"), prepare=lambda: 7),
    ]
    timings = harness.compare(sides, rounds=5, warmup=1)
    assert calls == ["a", "b7"] * 6
    assert [len(t.seconds) for t in timings] == [5, 5]
    assert [len(t.cpu) for t in timings] == [5, 5]
    assert timings[0].low <= timings[0].median <= timings[0].high


def test_fewer_than_five_rounds_are_refused(harness: ModuleType) -> None:
    """The README's minimum of 5 rounds is enforced."""
    with pytest.raises(ValueError, match="at least 5"):
        harness.compare([harness.Side("a", lambda: None)], rounds=4)


def test_ratio_is_paired_round_by_round(harness: ModuleType) -> None:
    """The ratio's median and range come from per-round pairs."""
    a = harness.Timing("a", [2.0, 4.0, 6.0, 8.0, 10.0])
    b = harness.Timing("b", [1.0, 1.0, 2.0, 2.0, 5.0])
    r = harness.ratio(a, b)
    assert (r.median, r.low, r.high) == (3.0, 2.0, 4.0)


def test_report_and_header_print(harness: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    """The header names the machine and versions; the report names the baseline."""
    harness.header("attrs")
    timings = [harness.Timing("x", [1.0] * 5), harness.Timing("y", [2.0] * 5)]
    ratios = harness.report(timings, baseline="x")
    out = capsys.readouterr().out
    for part in ("machine:", "cores", "python:", "attrs "):
        assert part in out
    assert "2.00x [2.00-2.00] of x" in out
    assert ratios["y"].median == 2.0
