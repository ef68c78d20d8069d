"""Themes: the default catalogue, catalogues that merge, and a group's own themes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import DomainError, UnknownThemeError
from emessi.method import ThemeCatalogue, default_catalogue
from emessi.model import NGO_TAGS, Dimension, Group, Meeting, Programme, Theme
from emessi.rules import validate
from emessi.testing import themes

START = datetime(2014, 1, 14, 14, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_default_catalogue_is_bilingual_and_unique() -> None:
    """Every catalogue theme has an English and a Finnish title; ids are unique."""
    catalogue = default_catalogue()
    assert len(catalogue) >= 12
    assert len(catalogue.ids()) == len(catalogue)
    for theme in catalogue:
        assert theme.title_en
        assert theme.title_fi
        assert theme.title("fi") == theme.title_fi
        assert theme.dimensions


def test_default_catalogue_covers_manka_hakanen_and_ngo_features() -> None:
    """Each dimension (Manka 2008, Hakanen 2005) and each NGO tag has a theme."""
    catalogue = default_catalogue()
    for dimension in Dimension:
        assert len(catalogue.with_dimension(dimension)) >= 1, dimension
    for tag in NGO_TAGS:
        assert len(catalogue.with_tag(tag)) >= 1, tag
    assert catalogue["volunteers"].title("fi") == "Työskentely vapaaehtoisten kanssa"


def test_default_catalogue_is_loaded_once() -> None:
    """The package data is read once; the same catalogue object comes back."""
    assert default_catalogue() is default_catalogue()


def test_catalogue_lookup() -> None:
    """Lookup by id; an unknown id is an UnknownThemeError (a LookupError)."""
    catalogue = ThemeCatalogue([Theme("a", "A")])
    assert catalogue["a"].title_en == "A"
    assert "a" in catalogue
    assert "b" not in catalogue
    with pytest.raises(UnknownThemeError) as caught:
        catalogue["b"]
    assert isinstance(caught.value, LookupError)


def test_catalogue_refuses_duplicate_ids() -> None:
    """Two themes with one id are a DomainError at the second."""
    with pytest.raises(DomainError) as caught:
        ThemeCatalogue([Theme("a", "A"), Theme("b", "B"), Theme("a", "A again")])
    assert caught.value.path == "themes[2].id"


@given(
    st.lists(themes(), max_size=5, unique_by=lambda t: t.id),
    st.lists(themes(), max_size=5, unique_by=lambda t: t.id),
)
def test_merge_keeps_every_id_and_later_wins(first: list[Theme], second: list[Theme]) -> None:
    """A merged catalogue has the ids of both; on a shared id the later theme wins."""
    a, b = ThemeCatalogue(first), ThemeCatalogue(second)
    merged = a.merge(b)
    assert merged.ids() == a.ids() | b.ids()
    for theme in second:
        assert merged[theme.id] == theme
    for theme in first:
        if theme.id not in b:
            assert merged[theme.id] == theme
    assert a == ThemeCatalogue(first)  # merging made a new catalogue


def test_group_and_programme_themes_are_known_to_validation() -> None:
    """A theme the group or programme added is known; one nobody added is not."""
    meeting = Meeting(1, START, themes=["sauna"])
    own = Theme("sauna", "Sauna as recovery", dimensions=[Dimension.VIGOUR])
    assert validate(meeting).by_code("unknown-theme")
    assert not validate(Group("g-01", meetings=[meeting], themes=[own])).by_code("unknown-theme")
    programme = Programme("p", groups=[Group("g-01", meetings=[meeting])], themes=[own])
    assert not validate(programme).by_code("unknown-theme")
    other = Programme("p", groups=[Group("g-02", meetings=[meeting])])
    assert [f.path for f in validate(other).by_code("unknown-theme")] == [
        'groups["g-02"].meetings[0].themes[0]'
    ]


def test_validate_with_another_catalogue() -> None:
    """validate(catalogue=...) replaces the built-in catalogue."""
    meeting = Meeting(1, START, themes=["recovery"])
    assert not validate(meeting).by_code("unknown-theme")
    mine = ThemeCatalogue([Theme("mine", "Mine")])
    assert validate(meeting, catalogue=mine).by_code("unknown-theme")
    assert not validate(Meeting(1, START, themes=["mine"]), catalogue=mine).by_code("unknown-theme")
