"""emessi.plotting's error messages in English, Finnish and Swedish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from emessi._i18n import using_language
from emessi.errors import EmessiError


def _extension() -> object:
    from emessi.plotting import image_format

    return image_format("plot.gif")


def _format() -> object:
    pytest.importorskip("matplotlib")
    from emessi.plotting import image_bytes

    return image_bytes(object(), "gif")  # type: ignore[arg-type]


def _no_group() -> object:
    pytest.importorskip("matplotlib")
    pytest.importorskip("numpy")
    from datetime import date

    from emessi.plotting import plot_timeline
    from emessi.simulation import Scenario, StartWindow, simulate

    result = simulate(Scenario(start=StartWindow(date(2026, 9, 1)), groups=1), runs=1)
    return plot_timeline(result, max_groups=0)


CASES: list[tuple[Callable[[], Any], dict[str, str]]] = [
    (
        _extension,
        {
            "en": "path: a plot is saved as .png, .svg or .pdf; "
            "name the file with one of these extensions",
            "fi": "path: kuvaaja tallennetaan muodossa .png, .svg tai .pdf; "
            "anna tiedostolle jokin näistä päätteistä",
            "sv": "path: ett diagram sparas som .png, .svg eller .pdf; "
            "ge filen en av dessa filändelser",
        },
    ),
    (
        _format,
        {
            "en": "fmt: the format is 'png', 'svg' or 'pdf'",
            "fi": "fmt: muoto on 'png', 'svg' tai 'pdf'",
            "sv": "fmt: formatet är 'png', 'svg' eller 'pdf'",
        },
    ),
    (
        _no_group,
        {
            "en": "max_groups: show at least one group",
            "fi": "max_groups: näytä vähintään yksi ryhmä",
            "sv": "max_groups: visa minst en grupp",
        },
    ),
]


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize(("call", "expected"), CASES)
def test_plotting_errors_speak_the_current_language(
    call: Callable[[], Any], expected: dict[str, str], lang: str
) -> None:
    """The message follows the language in force when the error is raised."""
    with using_language(lang), pytest.raises(EmessiError) as caught:
        call()
    assert str(caught.value) == expected[lang]
