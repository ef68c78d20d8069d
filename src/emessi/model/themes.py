"""Discussion themes and the dimensions of well-being at work they touch."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from emessi._i18n import N_, _, check_language, get_language, translation
from emessi.model._checks import check_id, strings
from emessi.model._strict import Choice, checked, only_tuples, strict
from emessi.provenance import Provenance

__all__ = ["Dimension", "Theme"]


class Dimension(Choice):
    """A dimension of well-being at work (*työhyvinvointi*).

    The first four are the factors whose interplay well-being at work was
    examined as in eMessi2, after Manka (2008): the individual (*yksilö*), the
    content of the work and its management (*työn sisältö ja johtaminen*),
    the work community (*työyhteisö*) and the organisation (*organisaatio*).
    The eMessi2 description also names the concept of work engagement
    (*työn imu*, Hakanen 2005), but not its components: the last three,
    vigour (*tarmokkuus*), dedication (*omistautuminen*) and absorption
    (*uppoutuminen*), are the three scales of the Utrecht Work Engagement
    Scale (UWES), whose Finnish version is Hakanen's: emessi's choice, not
    the eMessi texts' (see :attr:`provenance`).

    Example:
        >>> Dimension("work-and-management").finnish
        'työn sisältö ja johtaminen'
        >>> Dimension.VIGOUR.provenance.source
        'hakanen-2005'

    .. versionadded:: 0.1.0

    """

    INDIVIDUAL = "individual"
    WORK_AND_MANAGEMENT = "work-and-management"
    WORK_COMMUNITY = "work-community"
    ORGANISATION = "organisation"
    VIGOUR = "vigour"
    DEDICATION = "dedication"
    ABSORPTION = "absorption"

    @property
    def finnish(self) -> str:
        """The Finnish name of the dimension."""
        return _FINNISH[self]

    @property
    def label(self) -> str:
        """The dimension's name in the current language, e.g. ``"work community"``.

        Example:
            >>> from emessi._i18n import using_language
            >>> with using_language("sv"):
            ...     Dimension.WORK_COMMUNITY.label
            'arbetsgemenskapen'

        """
        return _(_LABELS[self])

    @property
    def source(self) -> str:
        """The work the dimension is filed under: ``"Manka 2008"`` or ``"Hakanen 2005"``."""
        return "Hakanen 2005" if self in _ENGAGEMENT else "Manka 2008"

    @property
    def provenance(self) -> Provenance:
        """Where the dimension and its Finnish name come from."""
        if self in _ENGAGEMENT:
            return _ENGAGEMENT_PROVENANCE
        return _MANKA_PROVENANCE


# Translators: the dimensions of well-being at work: Manka 2008's four, then
# work engagement's three (Hakanen 2005: tarmokkuus, omistautuminen,
# uppoutuminen = vitalitet, hängivenhet, absorption).
_LABELS = {
    Dimension.INDIVIDUAL: N_("individual"),
    Dimension.WORK_AND_MANAGEMENT: N_("the content of the work and its management"),
    Dimension.WORK_COMMUNITY: N_("work community"),
    Dimension.ORGANISATION: N_("organisation"),
    Dimension.VIGOUR: N_("vigour"),
    Dimension.DEDICATION: N_("dedication"),
    Dimension.ABSORPTION: N_("absorption"),
}
_ENGAGEMENT = frozenset({Dimension.VIGOUR, Dimension.DEDICATION, Dimension.ABSORPTION})
_MANKA_PROVENANCE = Provenance(
    "manka-2008",
    '"yksilön, työn sisällön ja johtamisen, työyhteisön ja organisaation yhteispelinä" '
    "(the interplay of the individual, the content of the work and its management, "
    "the work community and the organisation)",
)
_ENGAGEMENT_PROVENANCE = Provenance(
    "hakanen-2005",
    '"työn imu -käsitteen kautta" (through the concept of work engagement)',
    "the eMessi texts name only the concept; its three components vigour, dedication "
    "and absorption are those of the Utrecht Work Engagement Scale (UWES) in Hakanen's "
    "Finnish version",
)
_FINNISH = {
    Dimension.INDIVIDUAL: "yksilö",
    Dimension.WORK_AND_MANAGEMENT: "työn sisältö ja johtaminen",
    Dimension.WORK_COMMUNITY: "työyhteisö",
    Dimension.ORGANISATION: "organisaatio",
    Dimension.VIGOUR: "tarmokkuus",
    Dimension.DEDICATION: "omistautuminen",
    Dimension.ABSORPTION: "uppoutuminen",
}

#: Tags for the features of NGO work the eMessi guide's framework keeps in
#: mind, as the eMessi2 description names them: independence of the work
#: (*työn itsenäisyys*), working with volunteers (*työskentely
#: vapaaehtoisten kanssa*) and the value base of the work (*työn arvopohja*).
NGO_TAGS = ("independence", "volunteers", "value-base")
NGO_TAGS_PROVENANCE = Provenance(
    "emessi2",
    '"e.g. independence of the work, working with volunteers and the value base of the work"',
)


def _dimensions(values: Iterable[Dimension]) -> tuple[Dimension, ...]:
    return tuple(values)


only_tuples(_dimensions)


@checked
@attrs.frozen(field_transformer=strict)
class Theme:
    """A discussion theme a group may choose.

    Themes are not fixed in advance: each eMessi group defines its own
    (eMessi2 source text). The catalogue offers suggestions; a group's own
    themes are stored on the :class:`~emessi.Group`.

    Args:
        id: A short stable id (``"boundaries-of-work"``).
        title_en: The English title.
        title_fi: The Finnish title (may be empty for a group's own theme).
        dimensions: The dimensions of well-being at work it touches.
        tags: Free tags, e.g. the NGO tags ``independence``, ``volunteers``
            and ``value-base``.
        description_en: An optional longer English description.
        description_fi: An optional longer Finnish description.

    Example:
        >>> theme = Theme("our-own", "Our own theme", dimensions=[Dimension.INDIVIDUAL])
        >>> theme.title("fi")
        'Our own theme'

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    title_en: str
    title_fi: str = ""
    dimensions: tuple[Dimension, ...] = attrs.field(default=(), converter=_dimensions)
    tags: tuple[str, ...] = attrs.field(default=(), converter=strings)
    description_en: str = ""
    description_fi: str = ""

    @checked
    def title(self, lang: str | None = None) -> str:
        """The title in *lang* (``"en"``, ``"fi"``, ``"sv"``; by default the current language).

        A group's own Finnish title comes first; the built-in catalogue's
        themes are translated in the message catalogues; otherwise English.

        Example:
            >>> from emessi import default_catalogue
            >>> default_catalogue()["recovery"].title("sv")
            'Återhämtning och vila'

        """
        lang = get_language() if lang is None else check_language(lang)
        if lang == "fi" and self.title_fi:
            return self.title_fi
        return translation(lang).gettext(self.title_en) if self.title_en else ""
