"""Method profiles: every number of the method as data, per sector."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from emessi._i18n import _, pgettext
from emessi.errors import ProfileError, UsageError
from emessi.method._severity import Severity
from emessi.model._checks import safe_id
from emessi.model._strict import check_for, checked, read_items, strict
from emessi.provenance import Provenance

__all__ = ["Bounds", "MethodProfile"]


def _check_bounds(instance: Bounds, attribute: Any, value: tuple[int, int]) -> None:
    pre_lo, pre_hi = instance.preferred
    all_lo, all_hi = instance.allowed
    if not 0 <= all_lo <= pre_lo <= pre_hi <= all_hi:
        raise ProfileError(
            _(
                "bounds must satisfy 0 <= allowed min <= preferred min <= preferred max "
                "<= allowed max"
            ),
            path="preferred",
        )


def _pair(value: Iterable[int]) -> tuple[int, int]:
    # The run-time check of the field (model._strict) has made it a tuple
    # of two integers within the integer bounds already.
    pair = tuple(value)
    return pair[0], pair[1]


@checked
@attrs.frozen(field_transformer=strict)
class Bounds:
    """A range with a *preferred* part (outside it: a warning) and an *allowed* part.

    Outside the allowed range is an error. Both ends are inclusive. The
    source says "as a rule 5-6" and "about once a month": the preferred range
    holds the source's numbers, the allowed range the tolerance around them.

    Args:
        preferred: ``(min, max)`` the method recommends.
        allowed: ``(min, max)`` the method tolerates; contains *preferred*.
        provenance: Where the numbers come from (keyword only); the built-in
            profiles state it for every range. It is not part of equality:
            two bounds with the same ranges are equal.

    Example:
        >>> peers = Bounds((5, 6), (3, 8))
        >>> peers.severity(6), peers.severity(7), peers.severity(9)
        (None, <Severity.WARNING: 'warning'>, <Severity.ERROR: 'error'>)
        >>> Bounds((4, 8), (3, 10), provenance=Provenance(assumption="our pilot groups")).provenance.stated
        True
        >>> Bounds((5, 6), (6, 8))
        Traceback (most recent call last):
        ...
        emessi.errors.ProfileError: preferred: bounds must satisfy 0 <= allowed min <= preferred min <= preferred max <= allowed max

    .. versionadded:: 0.1.0

    """

    preferred: tuple[int, int] = attrs.field(converter=_pair)
    allowed: tuple[int, int] = attrs.field(converter=_pair, validator=_check_bounds)
    provenance: Provenance = attrs.field(factory=Provenance, kw_only=True, eq=False, repr=False)

    @classmethod
    @checked
    def exactly(cls, value: int) -> Bounds:
        """Bounds that accept only *value*.

        Example:
            >>> Bounds.exactly(1)
            Bounds(preferred=(1, 1), allowed=(1, 1))

        """
        try:
            return cls((value, value), (value, value))
        except ProfileError as error:  # a negative value: say which argument
            raise ProfileError(error.message, path="value") from None

    def severity(self, value: float, *, strict: bool = False) -> Severity | None:
        """The severity of *value*: None inside the preferred range.

        Outside the preferred range it is a warning, outside the allowed
        range an error; with *strict*, anything outside the preferred range
        is an error (the tolerance band is not used).

        Example:
            >>> Bounds((6, 8), (5, 10)).severity(5), Bounds((6, 8), (5, 10)).severity(5, strict=True)
            (<Severity.WARNING: 'warning'>, <Severity.ERROR: 'error'>)

        """
        if value.__class__ is not int:
            value = _NUMBER(value, "value")  # rules call this often: an inline fast path
        if strict is not True and strict is not False:
            raise UsageError(_("expected true or false"), path="strict")
        if not self.allowed[0] <= value <= self.allowed[1]:
            return Severity.ERROR
        if not self.preferred[0] <= value <= self.preferred[1]:
            return Severity.ERROR if strict else Severity.WARNING
        return None

    def describe(self) -> str:
        """The preferred and allowed ranges as text, e.g. ``5-6 (3-8)``.

        Example:
            >>> Bounds((5, 6), (3, 8)).describe()
            '5-6 (allowed 3-8)'

        """
        return _("{preferred} (allowed {allowed})").format(
            preferred=_span(self.preferred), allowed=_span(self.allowed)
        )


_NUMBER = check_for(float)


def _span(pair: tuple[int, int]) -> str:
    low, high = pair
    if high >= UNBOUNDED:
        return (
            pgettext("range", "any")
            if low == 0
            else pgettext("range", "{low} or more").format(low=low)
        )
    return str(low) if low == high else f"{low}-{high}"


def _severities(value: Mapping[str, Severity | str]) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise UsageError(
            _("expected a mapping of rule code to severity, not {actual}").format(
                actual=type(value).__name__
            ),
            path="severities",
        )
    result = {}
    for code, level in read_items(value, "severities"):
        if not isinstance(code, str):
            raise UsageError(_("a rule code is a string"), path="severities")
        if level.__class__ is not Severity:
            if not isinstance(level, str):
                raise UsageError(
                    _("a severity is 'info', 'warning' or 'error', not {actual}").format(
                        actual=type(level).__name__
                    ),
                    path="severities",
                )
            try:
                level = Severity(level)
            except ValueError:
                raise ProfileError(
                    _("a severity is 'info', 'warning' or 'error'"), path="severities"
                ) from None
        result[code] = level
    return result


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(value)))


def _check_name(instance: object, attribute: object, value: str) -> None:
    if not value or not value.replace("-", "").replace("_", "").isalnum():
        raise ProfileError(_("a profile name is a slug: letters, digits, - and _"), path="name")


#: Used where a range has no upper end (a workplace can be any size).
UNBOUNDED = 1_000_000

#: The settings of a profile that are ranges (:class:`Bounds`).
RANGES = (
    "peers",
    "meetings",
    "interval_days",
    "duration_minutes",
    "facilitators",
    "observers",
    "workplace_size",
)
#: The other settings whose provenance a profile's ``provenance`` table holds.
OTHER_SETTINGS = (
    "title",
    "sector",
    "description",
    "closed",
    "observer_required",
    "separate_organisations",
    "online",
    "severities",
    "disabled_rules",
)


def _provenances(value: Mapping[str, Provenance]) -> dict[str, Provenance]:
    if not isinstance(value, Mapping):
        raise UsageError(
            _("expected a table of setting to provenance, not {actual}").format(
                actual=type(value).__name__
            ),
            path="provenance",
        )
    result = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise UsageError(_("a setting's name is a string"), path="provenance")
        if key in RANGES:
            raise ProfileError(
                _("{setting} is a range: give its provenance in the range itself").format(
                    setting=safe_id(key)
                ),
                path=f"provenance.{key}",
            )
        if key not in OTHER_SETTINGS:
            raise ProfileError(
                _("no setting {setting}; one of {settings}").format(
                    setting=safe_id(key), settings=", ".join(OTHER_SETTINGS)
                ),
                path="provenance",
            )
        if not isinstance(item, Provenance):
            raise UsageError(
                _("expected a Provenance, not {actual}").format(actual=type(item).__name__),
                path=f"provenance.{key}",
            )
        result[key] = item
    return result


@checked
@attrs.frozen(field_transformer=strict)
class MethodProfile:
    """Every number of a peer-mentoring method, as data.

    The eMessi profile (``get_profile("emessi")``) is the default; another
    sector is another profile: built in code (usually with
    :func:`attrs.evolve` from an existing one), loaded from TOML with
    :func:`~emessi.load_profile`, or installed by a package through the
    ``emessi.profiles`` entry-point group.

    Args:
        name: A slug that names the profile in the registry.
        peers: Peers per group.
        meetings: Meetings per group (cancelled ones do not count).
        interval_days: Days between consecutive meetings.
        duration_minutes: Length of a meeting in minutes.
        facilitators: Facilitators per group.
        observers: Observers (technical support) per group.
        workplace_size: Staff of a peer's workplace (the target group).
        title: A display title.
        sector: The sector it is written for.
        description: A paragraph on where the numbers come from.
        closed: Whether groups are closed to new peers once they have met.
        observer_required: Whether the observer must be able to attend when
            a group agrees its schedule.
        separate_organisations: Whether peers from one workplace should be in
            different groups (``same-organisation`` warns otherwise).
        online: Whether meetings are held online.
        severities: Per-rule severity overrides, ``{"rule-code": "error"}``.
        disabled_rules: Rule codes not run under this profile.
        provenance: Where each setting that is not a range comes from, by
            setting name (``{"closed": Provenance(...)}``); each range
            carries its own (:attr:`Bounds.provenance`). Read both with
            :meth:`provenance_of`.

    Example:
        >>> from emessi import get_profile
        >>> emessi = get_profile("emessi")
        >>> emessi.peers.describe(), emessi.meetings.describe()
        ('5-6 (allowed 3-8)', '6-8 (allowed 5-10)')
        >>> entrepreneurs = attrs.evolve(emessi, name="entrepreneurs", peers=Bounds((4, 8), (3, 10)))
        >>> entrepreneurs.peers.severity(8) is None
        True

    .. versionadded:: 0.1.0

    """

    name: str = attrs.field(validator=_check_name)
    peers: Bounds
    meetings: Bounds
    interval_days: Bounds
    duration_minutes: Bounds
    facilitators: Bounds
    observers: Bounds
    workplace_size: Bounds
    title: str = ""
    sector: str = ""
    description: str = ""
    closed: bool = True
    observer_required: bool = True
    separate_organisations: bool = True
    online: bool = True
    severities: dict[str, Severity] = attrs.field(factory=dict, converter=_severities, hash=False)
    disabled_rules: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    provenance: dict[str, Provenance] = attrs.field(
        factory=dict, converter=_provenances, eq=False, repr=False
    )

    @checked
    def provenance_of(self, setting: str) -> Provenance:
        """Where *setting* of this profile comes from.

        A range's provenance is its :attr:`Bounds.provenance`; another
        setting's is in :attr:`provenance` (an empty, not-stated
        :class:`~emessi.provenance.Provenance` if it has none).

        Raises:
            ProfileError: *setting* is not a setting of a profile.

        Example:
            >>> from emessi import get_profile
            >>> print(get_profile().provenance_of("closed").place)
            "The groups were closed groups" (Ryhmät olivat suljettuja ryhmiä)
            >>> get_profile().provenance_of("same-organisation")
            Traceback (most recent call last):
            ...
            emessi.errors.ProfileError: setting: no setting 'same-organisation'; a rule's provenance is Rule.provenance

        """
        if setting in RANGES:
            bounds: Bounds = getattr(self, setting)
            return bounds.provenance
        if setting in OTHER_SETTINGS:
            return self.provenance.get(setting, Provenance())
        if "-" in str(setting):
            message = _("no setting {setting}; a rule's provenance is Rule.provenance")
        else:
            message = _("no setting {setting}")
        raise ProfileError(message.format(setting=safe_id(setting)), path="setting")

    @checked
    def severity_for(self, code: str, default: Severity) -> Severity:
        """The severity findings of rule *code* get under this profile.

        Example:
            >>> from emessi import get_profile
            >>> p = attrs.evolve(get_profile(), severities={"same-organisation": "error"})
            >>> p.severity_for("same-organisation", Severity.WARNING)
            <Severity.ERROR: 'error'>

        """
        return self.severities.get(code, default)

    @checked
    def enabled(self, code: str) -> bool:
        """Whether rule *code* runs under this profile.

        Example:
            >>> from emessi import get_profile
            >>> p = attrs.evolve(get_profile("emessi"), disabled_rules=["workplace-size"])
            >>> p.enabled("workplace-size")
            False

        """
        return code not in self.disabled_rules
