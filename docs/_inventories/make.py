"""Write the local intersphinx inventories the docs build reads.

The docs link to Python, attrs, cattrs, python-dateutil, Hypothesis, NumPy,
Matplotlib, pandas and Polars objects through ``sphinx.ext.intersphinx``. CI
has no network, so intersphinx cannot fetch each project's ``objects.inv``;
instead ``docs/conf.py`` points every ``intersphinx_mapping`` entry at
``(real base URL, local file)`` and this script writes those local files.
Each file is a genuine Sphinx inventory (version 2: four header lines, then
zlib-compressed lines of ``name domain:role priority uri dispname``), but it
lists only the external objects our pages and docstrings refer to, each with
its real address on
docs.python.org, www.attrs.org, catt.rs, dateutil.readthedocs.io,
hypothesis.readthedocs.io, numpy.org/doc/stable, matplotlib.org/stable,
pandas.pydata.org/docs or docs.pola.rs/api/python/stable. Links in the built
HTML therefore go to the real pages.

When the nitpicky build (``-n -W``) reports ``py:class reference target not
found: some.external.Name``, add the name to :data:`INVENTORIES` below with
its role and page, run ``python docs/_inventories/make.py``, and commit the
changed ``.inv`` file. ``tests/test_docs.py`` checks that the committed files
are exactly what this script writes.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: project -> (display name, version, base URL, {name: (domain:role, page#anchor)}).
#: An anchor of ``$`` stands for the object's name, as in Sphinx's own files.
INVENTORIES: dict[str, tuple[str, str, str, dict[str, tuple[str, str]]]] = {
    "python": (
        "Python",
        "3",
        "https://docs.python.org/3/",
        {
            # built-in types and constants
            "bool": ("py:class", "library/functions.html#$"),
            "bytes": ("py:class", "library/stdtypes.html#$"),
            "dict": ("py:class", "library/stdtypes.html#$"),
            "float": ("py:class", "library/functions.html#$"),
            "frozenset": ("py:class", "library/stdtypes.html#$"),
            "int": ("py:class", "library/functions.html#$"),
            "list": ("py:class", "library/stdtypes.html#$"),
            "object": ("py:class", "library/functions.html#$"),
            "set": ("py:class", "library/stdtypes.html#$"),
            "str": ("py:class", "library/stdtypes.html#$"),
            "tuple": ("py:class", "library/stdtypes.html#$"),
            "None": ("py:data", "library/constants.html#$"),
            # exceptions our errors also inherit
            "ImportError": ("py:exception", "library/exceptions.html#$"),
            "LookupError": ("py:exception", "library/exceptions.html#$"),
            "ValueError": ("py:exception", "library/exceptions.html#$"),
            # the standard library
            "argparse.ArgumentParser": ("py:class", "library/argparse.html#$"),
            "collections.abc.Callable": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Iterable": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Iterator": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Mapping": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Sequence": ("py:class", "library/collections.abc.html#$"),
            "concurrent.futures.Executor": ("py:class", "library/concurrent.futures.html#$"),
            # where the class is defined, as evaluated type hints name it
            "concurrent.futures._base.Executor": (
                "py:class",
                "library/concurrent.futures.html#concurrent.futures.Executor",
            ),
            "datetime.date": ("py:class", "library/datetime.html#$"),
            "datetime.datetime": ("py:class", "library/datetime.html#$"),
            "datetime.time": ("py:class", "library/datetime.html#$"),
            "datetime.timedelta": ("py:class", "library/datetime.html#$"),
            "json": ("py:module", "library/json.html#module-$"),
            "os.PathLike": ("py:class", "library/os.html#$"),
            "pathlib.Path": ("py:class", "library/pathlib.html#$"),
            "tomllib": ("py:module", "library/tomllib.html#module-$"),
            "typing.Any": ("py:data", "library/typing.html#$"),
            "typing.IO": ("py:class", "library/typing.html#$"),
            "typing.Literal": ("py:data", "library/typing.html#$"),
            "zoneinfo": ("py:module", "library/zoneinfo.html#module-$"),
            "zoneinfo.ZoneInfo": ("py:class", "library/zoneinfo.html#$"),
        },
    ),
    "attrs": (
        "attrs",
        "stable",
        "https://www.attrs.org/en/stable/",
        {
            "attrs.evolve": ("py:function", "api.html#$"),
            "attrs.frozen": ("py:function", "api.html#$"),
        },
    ),
    "cattrs": (
        "cattrs",
        "stable",
        "https://catt.rs/en/stable/",
        {
            "cattrs.Converter": ("py:class", "cattrs.html#$"),
            "cattrs.transform_error": ("py:function", "cattrs.html#$"),
        },
    ),
    "dateutil": (
        "dateutil",
        "stable",
        "https://dateutil.readthedocs.io/en/stable/",
        {
            "dateutil.rrule.rrule": ("py:class", "rrule.html#$"),
            "dateutil.rrule.rrulestr": ("py:function", "rrule.html#$"),
        },
    ),
    # emessi.testing returns hypothesis strategies; its type hints name them.
    "hypothesis": (
        "Hypothesis",
        "latest",
        "https://hypothesis.readthedocs.io/en/latest/",
        {
            "hypothesis.strategies.SearchStrategy": ("py:class", "reference/strategies.html#$"),
        },
    ),
    # The simulation's tables are numpy columns; type hints name them as
    # ``npt.NDArray``. NumPy files NDArray as data; it is listed as a class
    # here because type hints refer to it with the class role.
    "numpy": (
        "NumPy",
        "stable",
        "https://numpy.org/doc/stable/",
        {
            "numpy.ndarray": ("py:class", "reference/generated/numpy.ndarray.html#$"),
            "numpy.typing.NDArray": ("py:class", "reference/typing.html#$"),
        },
    ),
    # emessi.plotting returns figures.
    "matplotlib": (
        "Matplotlib",
        "stable",
        "https://matplotlib.org/stable/",
        {
            "matplotlib.axes.Axes": ("py:class", "api/_as_gen/matplotlib.axes.Axes.html#$"),
            "matplotlib.figure.Figure": (
                "py:class",
                "api/_as_gen/matplotlib.figure.Figure.html#$",
            ),
        },
    ),
    # Tables convert to data frames of either library (the extra ``dataframes``).
    "pandas": (
        "pandas",
        "stable",
        "https://pandas.pydata.org/docs/",
        {
            "pandas.DataFrame": ("py:class", "reference/api/pandas.DataFrame.html#$"),
        },
    ),
    "polars": (
        "Polars",
        "stable",
        "https://docs.pola.rs/api/python/stable/",
        {
            "polars.DataFrame": ("py:class", "reference/dataframe/index.html#$"),
        },
    ),
}


def inventory(project: str, version: str, objects: dict[str, tuple[str, str]]) -> bytes:
    """The bytes of a Sphinx version 2 inventory listing *objects*."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{name} {role} 1 {page} -\n" for name, (role, page) in sorted(objects.items()))
    return header.encode() + zlib.compress(lines.encode(), 9)


def main() -> None:
    """Write one ``<key>.inv`` file beside this script per project."""
    for key, (project, version, _, objects) in INVENTORIES.items():
        (HERE / f"{key}.inv").write_bytes(inventory(project, version, objects))


if __name__ == "__main__":
    main()
