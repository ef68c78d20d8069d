"""The theme catalogue: suggested discussion themes, merged with a group's own."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

import attrs

from emessi._convert import from_document, register_format
from emessi._i18n import _
from emessi.errors import DomainError, UnknownThemeError
from emessi.model._checks import safe_id
from emessi.model._strict import check_for, checked, strict
from emessi.model.themes import Dimension, Theme
from emessi.provenance import Provenance

__all__ = ["ThemeCatalogue", "default_catalogue"]


def _unique(themes: Iterable[Theme]) -> tuple[Theme, ...]:
    themes = tuple(themes)
    seen: set[str] = set()
    for index, theme in enumerate(themes):
        if theme.id in seen:
            raise DomainError(
                _("theme id {theme} appears twice in the catalogue").format(
                    theme=safe_id(theme.id)
                ),
                path=f"themes[{index}].id",
            )
        seen.add(theme.id)
    return themes


@checked
@attrs.frozen(field_transformer=strict)
class ThemeCatalogue:
    """A set of themes, looked up by id; catalogues merge.

    Themes are suggestions: eMessi groups choose their own themes, which
    are stored on the group and merged over the catalogue when validating.
    The built-in catalogue's themes are emessi's own suggestions, not the
    method's (see its :attr:`provenance`).

    Args:
        themes: The themes; ids must be unique.
        provenance: Where the catalogue comes from (keyword only).

    Example:
        >>> catalogue = default_catalogue()
        >>> catalogue["volunteers"].title("fi")
        'Työskentely vapaaehtoisten kanssa'
        >>> own = ThemeCatalogue([Theme("sauna", "Sauna as recovery", dimensions=[Dimension.VIGOUR])])
        >>> merged = catalogue.merge(own)
        >>> "sauna" in merged, len(merged) == len(catalogue) + 1
        (True, True)
        >>> catalogue.provenance.assumption
        "the themes themselves, their titles and descriptions are emessi's suggestions; none comes from the sources"

    .. versionadded:: 0.1.0

    """

    themes: tuple[Theme, ...] = attrs.field(default=(), converter=_unique)
    provenance: Provenance = attrs.field(factory=Provenance, kw_only=True, eq=False, repr=False)

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise UnknownThemeError(
            _("no theme {theme} in the catalogue").format(theme=safe_id(theme_id))
        )

    def __contains__(self, theme_id: object) -> bool:
        return any(theme.id == theme_id for theme in self.themes)

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def ids(self) -> frozenset[str]:
        """The ids of all themes.

        Example:
            >>> "recovery" in default_catalogue().ids()
            True

        """
        return frozenset(theme.id for theme in self.themes)

    def merge(self, *others: ThemeCatalogue | Iterable[Theme]) -> ThemeCatalogue:
        """A catalogue with the themes of *others* added; later ones win on an id.

        Example:
            >>> a = ThemeCatalogue([Theme("x", "X")])
            >>> a.merge([Theme("x", "X again")])["x"].title_en
            'X again'

        """
        by_id = {theme.id: theme for theme in self.themes}
        for index, other in enumerate(others):
            themes = (
                other.themes
                if isinstance(other, ThemeCatalogue)
                else _THEMES(other, f"others[{index}]")
            )
            for theme in themes:
                by_id[theme.id] = theme
        return ThemeCatalogue(tuple(by_id.values()), provenance=self.provenance)

    @checked
    def with_dimension(self, dimension: Dimension) -> ThemeCatalogue:
        """The themes that touch *dimension*.

        Example:
            >>> [t.id for t in default_catalogue().with_dimension(Dimension.ABSORPTION)]
            ['meaningful-work']

        """
        return ThemeCatalogue(
            (t for t in self.themes if dimension in t.dimensions), provenance=self.provenance
        )

    @checked
    def with_tag(self, tag: str) -> ThemeCatalogue:
        """The themes tagged *tag* (e.g. ``"volunteers"``).

        Example:
            >>> sorted(t.id for t in default_catalogue().with_tag("volunteers"))
            ['board-and-employer', 'volunteers']

        """
        return ThemeCatalogue((t for t in self.themes if tag in t.tags), provenance=self.provenance)


_THEMES = check_for(tuple[Theme, ...])

register_format("emessi/themes", ThemeCatalogue)


@cache
def default_catalogue() -> ThemeCatalogue:
    """The built-in catalogue of suggested themes (package data), loaded once.

    Example:
        >>> len(default_catalogue()) >= 12
        True

    .. versionadded:: 0.1.0

    """
    text = resources.files("emessi.method").joinpath("data/themes.toml").read_text("utf-8")
    catalogue: ThemeCatalogue = from_document(
        tomllib.loads(text), ThemeCatalogue, source="built-in theme catalogue"
    )
    return catalogue
