"""The one timing harness every benchmark in ``benchmarks/`` uses.

The rules it enforces (see ``benchmarks/README.md``):

- competitors run interleaved in the same process, one call each per round
  (A B A B ...), so a slow minute of a shared machine hits both sides;
- every side gets the same number of rounds (at least 5) after the same
  number of untimed warm-up calls, and the same statistic: the median and
  the range (min-max) of its rounds;
- work a side can do once outside the timing (building a model, parsing
  input) is done by its ``prepare`` callable, untimed, before each round;
- the ratio of two sides is taken round by round (the pairs ran next to
  each other) and reported as the median with its range;
- :func:`header` prints the machine (CPU model, cores), Python and the
  versions of the packages compared.

Usage::

    from _harness import Side, compare, header, report

    header("dateutil", "emessi")
    timings = compare([Side("emessi", run_a), Side("rrule", run_b)], rounds=7)
    report(timings, baseline="rrule")
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata

MIN_ROUNDS = 5


@dataclass(frozen=True)
class Side:
    """One competitor.

    ``run`` is timed. If ``prepare`` is given it is called untimed before
    each timed call and its result is passed to ``run``.
    """

    name: str
    run: Callable[..., object]
    prepare: Callable[[], object] | None = None


@dataclass
class Timing:
    """Wall-clock seconds of one side, one entry per round, and what each call returned."""

    name: str
    seconds: list[float] = field(default_factory=list)
    results: list[object] = field(default_factory=list)
    #: This process's CPU seconds per round (all threads): on a shared
    #: machine, what a single-threaded side would take unloaded.
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)

    def __str__(self) -> str:
        return f"{fmt(self.median)} [{fmt(self.low)}-{fmt(self.high)}]"


@dataclass(frozen=True)
class Ratio:
    """Per-round ratios of two sides' times: median and range."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def __str__(self) -> str:
        return f"{self.median:.2f}x [{self.low:.2f}-{self.high:.2f}]"


def fmt(seconds: float) -> str:
    """Seconds in a readable unit."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} us"


def cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo, else what platform knows)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(package: str) -> str:
    """An installed distribution's version, or 'not installed'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def header(*packages: str) -> None:
    """Print the machine, the Python and the compared packages' versions."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores ({usable} usable), {platform.system()}")
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"python:  {platform.python_implementation()} {platform.python_version()}{load}")
    if packages:
        print("versions: " + ", ".join(f"{p} {version(p)}" for p in packages))


def compare(sides: Sequence[Side], *, rounds: int = MIN_ROUNDS, warmup: int = 1) -> list[Timing]:
    """Run the sides interleaved, ``warmup`` untimed then ``rounds`` timed calls each."""
    if rounds < MIN_ROUNDS:
        raise ValueError(f"at least {MIN_ROUNDS} rounds, got {rounds}")
    timings = [Timing(side.name) for side in sides]
    for index in range(warmup + rounds):
        for side, timing in zip(sides, timings, strict=True):
            args = (side.prepare(),) if side.prepare is not None else ()
            gc.collect()
            cpu = time.process_time()
            start = time.perf_counter()
            result = side.run(*args)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            if index >= warmup:
                timing.seconds.append(elapsed)
                timing.results.append(result)
                timing.cpu.append(cpu)
    return timings


def ratio(a: Timing, b: Timing) -> Ratio:
    """``a``'s time over ``b``'s, round by round."""
    return Ratio(tuple(x / y for x, y in zip(a.seconds, b.seconds, strict=True)))


def report(timings: Sequence[Timing], baseline: str, *, label: str = "") -> dict[str, Ratio]:
    """Print each side's median [range] and its ratio to ``baseline``; return the ratios."""
    base = next(t for t in timings if t.name == baseline)
    width = max(len(t.name) for t in timings)
    ratios: dict[str, Ratio] = {}
    if label:
        print(label)
    for timing in timings:
        line = f"  {timing.name:<{width}}  {timing!s:<28}"
        if timing is not base:
            ratios[timing.name] = ratio(timing, base)
            line += f" {ratios[timing.name]} of {baseline}"
        print(line.rstrip())
    return ratios
