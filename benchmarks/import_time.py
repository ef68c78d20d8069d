"""`import emessi` against `import attrs, cattrs, dateutil.rrule` (issue 14 goal: <= 1.3x).

Each side runs in a fresh interpreter (an import is cached within one), in
the harness's interleaved rounds, the same number of times. The cost of an
import is its interpreter's wall time minus that of a bare `python -c pass`
in the same round, so interpreter start-up counts for neither side; the
ratio is taken round by round (median [range]). Also shown: the first use
of the model (`from emessi import Group`) and of `emessi.loads`.

Run: python benchmarks/import_time.py [rounds]
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _harness import Side, compare, header

CASES = {
    "bare": "pass",
    "peer": "import attrs, cattrs, dateutil.rrule",
    "emessi": "import emessi",
    "emessi + Group": "from emessi import Group",
    "emessi + loads": "import emessi; emessi.loads",
}


def _runner(code: str) -> Side:
    return Side(code, lambda: subprocess.run([sys.executable, "-c", code], check=True))


def main(rounds: int = 21) -> None:
    header("attrs", "cattrs", "python-dateutil", "emessi")
    timings = dict(
        zip(CASES, compare([_runner(c) for c in CASES.values()], rounds=rounds), strict=True)
    )
    bare = timings["bare"].seconds
    peer = [p - b for p, b in zip(timings["peer"].seconds, bare, strict=True)]
    print(f"{rounds} rounds; cost = wall time minus a bare interpreter in the same round")
    for name in list(CASES)[1:]:
        cost = [t - b for t, b in zip(timings[name].seconds, bare, strict=True)]
        ratios = sorted(c / p for c, p in zip(cost, peer, strict=True) if p > 0)
        print(
            f"  {name:16} {statistics.median(cost) * 1e3:6.1f} ms"
            f"  ratio to peer {statistics.median(ratios):.2f}x"
            f" [{ratios[0]:.2f}-{ratios[-1]:.2f}]"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
