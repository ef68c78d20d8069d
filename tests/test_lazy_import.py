"""`import emessi` is lazy (PEP 562): names import their module on first use."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

import emessi
from emessi._convert import FORMATS


def _fresh(code: str) -> object:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_emessi_imports_no_service_module() -> None:
    """A bare `import emessi` imports none of the service, adapter or face modules."""
    loaded = _fresh(
        "import json, sys, emessi\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('emessi'))))"
    )
    assert loaded == ["emessi"]


def test_import_emessi_imports_no_heavy_standard_module() -> None:
    """Heavy standard modules (e-mail, sockets, csv, hashing, zip) wait for their use."""
    loaded = set(
        _fresh(
            "import json, sys\nbefore = set(sys.modules)\nimport emessi\n"
            "print(json.dumps(sorted(set(sys.modules) - before)))"
        )  # type: ignore[arg-type]
    )
    heavy = {"email", "socket", "csv", "hashlib", "zipfile", "concurrent.futures", "urllib"}
    assert loaded.isdisjoint(heavy), sorted(loaded & heavy)


def test_every_public_name_resolves_to_its_module() -> None:
    """Each name in `__all__` is reachable and is the object its module defines."""
    for name in emessi.__all__:
        value = getattr(emessi, name)
        if name in emessi._LAZY:
            module = importlib.import_module(emessi._LAZY[name])
            assert getattr(module, name) is value, name


def test_lazy_map_matches_all() -> None:
    """The lazy map, the subpackages and `__version__` make up `__all__` exactly."""
    names = set(emessi._LAZY) | set(emessi._SUBPACKAGES) | {"__version__"}
    assert names == set(emessi.__all__)
    assert list(emessi.__all__) == sorted(emessi.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    """A misspelt name raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no attribute 'Grop'"):
        emessi.Grop  # noqa: B018


def test_dir_lists_the_public_names() -> None:
    """`dir(emessi)` shows the public names before they are imported."""
    assert set(emessi.__all__) <= set(dir(emessi))


def test_star_import_gives_every_public_name() -> None:
    """`from emessi import *` resolves every lazy name."""
    namespace: dict[str, object] = {}
    exec("from emessi import *", namespace)
    assert set(emessi.__all__) <= set(namespace)


def test_loads_imports_the_module_of_any_format() -> None:
    """In a fresh interpreter, `loads` reads a scenario and a study with no other import."""
    from datetime import date

    from emessi.research import StudyData
    from emessi.simulation import Scenario
    from emessi.simulation.scenario import StartWindow

    scenario = Scenario(start=StartWindow(date(2025, 9, 1)))
    texts = [emessi.dumps(scenario), emessi.dumps(StudyData("p-01"))]
    ok = _fresh(
        "import json, emessi\n"
        f"texts = json.loads({json.dumps(json.dumps(texts))})\n"
        "print(json.dumps([type(emessi.loads(t)).__name__ for t in texts]))"
    )
    assert ok == ["Scenario", "StudyData"]


def test_every_registered_format_has_a_known_module() -> None:
    """Every format any emessi module registers is core or in the format map."""
    from emessi.io import documents

    for info in pkgutil.walk_packages(emessi.__path__, "emessi."):
        if info.name.startswith(
            ("emessi.cli", "emessi.__main__", "emessi.plotting", "emessi.testing")
        ):
            continue
        importlib.import_module(info.name)
    known = set(documents._CORE) | set(documents._FORMAT_MODULES)
    assert set(FORMATS) <= known, sorted(set(FORMATS) - known)
    for name, module in documents._FORMAT_MODULES.items():
        cls = FORMATS[name][0]
        assert sys.modules[module] is importlib.import_module(cls.__module__) or any(
            getattr(sys.modules[module], attr, None) is cls for attr in dir(sys.modules[module])
        ), name


def test_equal_agenda_items_are_shared_and_still_checked() -> None:
    """Equal agenda items in a document load as one shared value; a wrong type is still refused."""
    from emessi import Meeting
    from emessi.errors import DocumentError

    base = {"format": "emessi/meeting", "version": 1, "number": 1}
    item = {"title": "Welcome", "minutes": 10}
    first = emessi.loads(
        json.dumps({**base, "start": "2014-01-14T14:00:00+02:00", "agenda": [item]})
    )
    second = emessi.loads(
        json.dumps({**base, "start": "2014-02-11T14:00:00+02:00", "agenda": [item]})
    )
    assert isinstance(first, Meeting)
    assert first.agenda[0] is second.agenda[0]
    for wrong in ({"title": "Welcome", "minutes": True}, {"title": "Welcome", "minutes": 10.0}):
        with pytest.raises(DocumentError) as caught:
            emessi.loads(
                json.dumps({**base, "start": "2014-01-14T14:00:00+02:00", "agenda": [wrong]})
            )
        assert "$.agenda[0].minutes" in str(caught.value)


def test_every_public_module_is_reachable_as_an_attribute() -> None:
    """`emessi.rules`, `emessi.demo`, ... work after a bare `import emessi`, as before."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(emessi.__path__) if not info.name.startswith("_")
    )
    assert set(names) == set(emessi._MODULES) | set(emessi._SUBPACKAGES)
    loaded = _fresh(
        f"import json, emessi\nprint(json.dumps([getattr(emessi, n).__name__ for n in {names!r}]))"
    )
    assert loaded == [f"emessi.{name}" for name in names]
