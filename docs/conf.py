"""Sphinx configuration for the emessi docs.

Build (as CI does)::

    python -m sphinx -n -W --keep-going -b html docs docs/_build/html
    python -m sphinx -n -W --keep-going -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import emessi

# The docs and their doctests are in English whatever the builder's locale.
os.environ["EMESSI_LANG"] = "en"

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "emessi"
author = "The emessi developers"
copyright = "2026, The emessi developers"
release = emessi.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    # local extensions in docs/_ext
    "emessi_api",
    "emessi_cli",
    "emessi_docfixes",
    "emessi_tables",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "_inventories", "_ext", "**/_examples", "Thumbs.db", ".DS_Store"]
# Each section's toctree in index.md lists its pages in reading order, then
# a catch-all glob that picks up pages added later. A catch-all may match
# nothing new; see setup() below. A page in no toctree still warns.
CATCH_ALL_GLOBS = (
    "introduction/*",
    "tutorials/*",
    "howto/*",
    "reference/*",
    "explanation/*",
)

# -- strictness: every reference must resolve (-n -W on CI) ------------------
nitpicky = True
# Names that no inventory can resolve, each with the reason. Keep this short:
# prefer adding an object to docs/_inventories/make.py.
nitpick_ignore: list[tuple[str, str]] = []

# -- autodoc and napoleon (Google style) -------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# -- doctest ----------------------------------------------------------------
# Docstring examples already run under pytest --doctest-modules with their
# module's globals; here only the narrative's explicit ``doctest`` blocks run.
doctest_test_doctest_blocks = ""
doctest_global_setup = f"""
import pathlib
DOCS = pathlib.Path({str(DOCS)!r})
"""

# -- intersphinx: local inventories, real URLs (no network on CI) ----------
# docs/_inventories/make.py writes the .inv files; see its docstring.
_INV = DOCS / "_inventories"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", str(_INV / "python.inv")),
    "attrs": ("https://www.attrs.org/en/stable/", str(_INV / "attrs.inv")),
    "cattrs": ("https://catt.rs/en/stable/", str(_INV / "cattrs.inv")),
    "dateutil": ("https://dateutil.readthedocs.io/en/stable/", str(_INV / "dateutil.inv")),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest/", str(_INV / "hypothesis.inv")),
    "numpy": ("https://numpy.org/doc/stable/", str(_INV / "numpy.inv")),
    "matplotlib": ("https://matplotlib.org/stable/", str(_INV / "matplotlib.inv")),
    "pandas": ("https://pandas.pydata.org/docs/", str(_INV / "pandas.inv")),
    "polars": ("https://docs.pola.rs/api/python/stable/", str(_INV / "polars.inv")),
}

# -- HTML --------------------------------------------------------------------
html_theme = "furo"
html_title = f"emessi {release}"
html_static_path = ["_static"]
html_css_files = ["emessi.css"]


class _EmptyCatchAllGlob(logging.Filter):
    """Let a section's catch-all glob match nothing.

    Sphinx logs "toctree glob pattern ... didn't match any documents" with a
    subtype but no type, so ``suppress_warnings`` cannot name it; this filter
    drops it for the patterns in ``CATCH_ALL_GLOBS`` only.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        empty = "didn't match any documents" in str(record.msg)
        return not (empty and bool(record.args) and record.args[0] in CATCH_ALL_GLOBS)  # type: ignore[index]


def setup(app: object) -> None:
    """Install the filter on the logger of Sphinx's toctree directive."""
    logging.getLogger("sphinx.sphinx.directives.other").addFilter(_EmptyCatchAllGlob())
