"""`import emessi` against `import attrs, cattrs, dateutil.rrule` (issue 14 goal: <= 1.3x).

Each side runs in a fresh interpreter (an import is cached within one), in
interleaved rounds (bare, peer, emessi, bare, peer, emessi, ...), the same
number of times. The cost of an import is the median wall time of its
interpreter minus the median of a bare `python -c pass`, so interpreter
start-up is not counted for either side. Also shown: the first use of the
model (`from emessi import Group`) and of `emessi.loads`.

Run: python benchmarks/import_time.py [rounds]
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import time

CASES = {
    "bare": "pass",
    "peer": "import attrs, cattrs, dateutil.rrule",
    "emessi": "import emessi",
    "emessi + Group": "from emessi import Group",
    "emessi + loads": "import emessi; emessi.loads",
}


def _once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main(rounds: int = 21) -> None:
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(rounds):
        for name, code in CASES.items():
            times[name].append(_once(code))
    bare = statistics.median(times["bare"])
    peer = statistics.median(times["peer"]) - bare
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}"
    )
    print(
        f"{rounds} interleaved rounds; costs are medians minus the bare interpreter ({bare * 1e3:.1f} ms)"
    )
    for name in CASES:
        if name == "bare":
            continue
        cost = statistics.median(times[name]) - bare
        low, high = min(times[name]) - bare, max(times[name]) - bare
        print(
            f"{name:16} {cost * 1e3:7.1f} ms  (range {low * 1e3:.1f}-{high * 1e3:.1f})"
            f"  ratio to peer {cost / peer:.2f}x"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
