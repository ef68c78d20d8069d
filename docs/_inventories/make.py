"""Write the local intersphinx inventories the docs build reads.

The docs link to Python, attrs, cattrs, python-dateutil and Hypothesis objects through
``sphinx.ext.intersphinx``. CI has no network, so intersphinx cannot fetch
each project's ``objects.inv``; instead ``docs/conf.py`` points every
``intersphinx_mapping`` entry at ``(real base URL, local file)`` and this
script writes those local files. Each file is a genuine Sphinx inventory
(version 2: four header lines, then zlib-compressed lines of
``name domain:role priority uri dispname``), but it lists only the external
objects our pages and docstrings refer to, each with its real address on
docs.python.org, www.attrs.org, catt.rs, dateutil.readthedocs.io or
hypothesis.readthedocs.io. Links in
the built HTML therefore go to the real pages.

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
            "collections.abc.Callable": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Iterable": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Iterator": ("py:class", "library/collections.abc.html#$"),
            "collections.abc.Mapping": ("py:class", "library/collections.abc.html#$"),
            "datetime.date": ("py:class", "library/datetime.html#$"),
            "datetime.datetime": ("py:class", "library/datetime.html#$"),
            "datetime.timedelta": ("py:class", "library/datetime.html#$"),
            "json": ("py:module", "library/json.html#module-$"),
            "os.PathLike": ("py:class", "library/os.html#$"),
            "pathlib.Path": ("py:class", "library/pathlib.html#$"),
            "tomllib": ("py:module", "library/tomllib.html#module-$"),
            "typing.Any": ("py:data", "library/typing.html#$"),
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
