"""Check a built wheel: it holds the package's data, and the installed copy is the one in use.

Run with the Python of a fresh virtual environment into which the wheel was
installed, from a folder outside the checkout:

    python .ci/check_wheel.py SRC_DIR WHEEL

It fails when a data file of ``src/emessi`` (TOML, ``py.typed``, a message
catalogue: each ``.po`` needs its compiled ``.mo``) is missing from the wheel
or from the installed package, or when ``emessi`` is imported from the
checkout instead of the environment.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def expected(src: Path) -> set[str]:
    """The non-Python files the package must ship, relative to ``src``."""
    names: set[str] = set()
    for path in (src / "emessi").rglob("*"):
        if not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(src).as_posix()
        names.add(relative[: -len(".po")] + ".mo" if path.suffix == ".po" else relative)
    return names


def main() -> int:
    src, wheel = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    import emessi

    installed = Path(emessi.__file__).resolve().parent
    if src in installed.parents:
        print(f"emessi was imported from the checkout ({installed}), not the wheel")
        return 1
    want = expected(src)
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("emessi/")}
    problems = [f"not in the wheel: {name}" for name in sorted(want - shipped)]
    problems += [
        f"not installed: {name}"
        for name in sorted(want)
        if not (installed.parent / name).is_file()
    ]
    if "emessi/py.typed" not in want:
        problems.append("src/emessi/py.typed is missing")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{wheel.name}: {len(want)} data files shipped and installed; emessi {emessi.__version__}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
