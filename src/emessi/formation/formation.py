"""Forming groups from applicants: :func:`form_groups` and its :class:`Formation`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from emessi._i18n import N_, _
from emessi.errors import DomainError, UsageError
from emessi.formation import _constraints, _heuristic
from emessi.formation._problem import IF_NEED_BE, NO, Problem, Solution, cost, count, decode
from emessi.formation.applicants import Applicant, Staff, _Field
from emessi.formation.score import Objective, Score, Weights
from emessi.method.profiles import MethodProfile
from emessi.method.registry import get_profile
from emessi.model._checks import check_id, check_zone, safe_id
from emessi.model._strict import Choice, check_for, checked, strict
from emessi.model.groups import Group, Membership
from emessi.model.people import Organisation, Person, Role
from emessi.model.programme import Programme
from emessi.scheduling.poll import Poll, Slot

__all__ = ["Formation", "GroupFit", "Reason", "Unassigned", "form_groups"]


class Reason(Choice):
    """Why an applicant was left without a group.

    Example:
        >>> Reason("no-room").description
        'every group is already at the largest size the profile allows'

    .. versionadded:: 0.1.0

    """

    OUTSIDE_TARGET_GROUP = "outside-target-group"
    NO_ROOM = "no-room"
    SEPARATION = "separation"
    COST = "cost"
    ORGANISATION_FULL = "organisation-full"

    @property
    def description(self) -> str:
        """The reason in words."""
        return _REASONS[self]


# English; a user interface translates them with emessi._i18n._.
_REASONS = {
    Reason.OUTSIDE_TARGET_GROUP: N_(
        "their workplace is outside the profile's target group and eligibility='exclude' was asked"
    ),
    Reason.NO_ROOM: N_("every group is already at the largest size the profile allows"),
    Reason.SEPARATION: N_(
        "every group with room has a peer from their organisation "
        "or somebody they must not be grouped with"
    ),
    Reason.COST: N_("placing them would cost more than leaving them out, under the weights"),
    Reason.ORGANISATION_FULL: N_(
        "their organisation already has a peer in every group, and the "
        "profile makes same-organisation an error"
    ),
}


@checked
@attrs.frozen(field_transformer=strict)
class Unassigned:
    """An applicant left without a group, and why.

    Example:
        >>> Unassigned("p-07", Reason.NO_ROOM)
        Unassigned(applicant='p-07', reason=<Reason.NO_ROOM: 'no-room'>)

    .. versionadded:: 0.1.0

    """

    applicant: str
    reason: Reason


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _slots(values: Iterable[Slot]) -> tuple[Slot, ...]:
    return tuple(values)


@checked
@attrs.frozen(field_transformer=strict)
class GroupFit:
    """How well one formed group fits together: its slot and language.

    Args:
        group: The group's id.
        slot: The candidate slot chosen for its meetings (None without
            availability).
        language: The language every member should share (None when
            nobody listed languages).
        unavailable: Members (peers and required staff) who answered *no*
            to the slot.
        if_need_be: Members who answered *if need be* to the slot.
        without_language: Members who do not speak the language.
        common_slots: Every candidate slot that all members (peers,
            facilitators, required observers) can attend: where the
            group's meetings can move without losing anyone.

    Example:
        >>> from datetime import time
        >>> from emessi.scheduling import Slot
        >>> fit = GroupFit("g-01", slot=Slot("tue-14", "Tuesday", time(14)), language="fi")
        >>> fit.common_slot, fit.common_slots
        (True, ())

    .. versionadded:: 0.1.0

    """

    group: str
    slot: Slot | None = None
    language: str | None = None
    unavailable: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    if_need_be: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    without_language: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    common_slots: tuple[Slot, ...] = attrs.field(default=(), converter=_slots)

    @property
    def common_slot(self) -> bool:
        """Whether every member can attend the slot (*yes* or *if need be*)."""
        return self.slot is not None and not self.unavailable


def _groups(values: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(values)


def _people(values: Iterable[Person]) -> tuple[Person, ...]:
    return tuple(values)


def _organisations(values: Iterable[Organisation]) -> tuple[Organisation, ...]:
    return tuple(values)


def _unassigned(values: Iterable[Unassigned]) -> tuple[Unassigned, ...]:
    return tuple(values)


def _fits(values: Iterable[GroupFit]) -> tuple[GroupFit, ...]:
    return tuple(values)


@checked
@attrs.frozen(field_transformer=strict)
class Formation:
    """The groups formed from applicants, who was left out and why, and the score.

    Args:
        groups: The groups, each with its peers, facilitator(s) and
            observer(s); no meetings yet.
        people: Everyone in a group (peers and staff).
        organisations: The organisations of the peers in a group.
        unassigned: Applicants without a group, each with a reason.
        outside_target: Applicants whose workplace is outside the
            profile's target group (kept in groups and reported, unless
            ``eligibility="exclude"`` left them out).
        fits: Each group's slot and language, in group order.
        score: The cost of this formation, broken down by objective.
        profile: The name of the profile the groups were formed under.
        seed: The seed the heuristic ran with.
        solver: ``"heuristic"``, or ``"heuristic+cp-sat"`` when CP-SAT
            improved on the heuristic.
        bound: A lower bound on :attr:`objective`, computed before the
            search (applicants that can never be placed, what their number
            forces on sizes, groups that must hold someone who cannot attend
            a slot), raised by CP-SAT's proven bound in the exact mode.

    Example:
        >>> from emessi.formation import Applicant, form_groups
        >>> from emessi.model import Person
        >>> pool = [Applicant(Person(f"p-{i:02d}", f"Peer {i}")) for i in range(6)]
        >>> formation = form_groups(pool, facilitators=[Person("f-01", "F")],
        ...                         observers=[Person("o-01", "O")])
        >>> [len(list(g.members(Role.PEER))) for g in formation.groups]
        [6]

    .. versionadded:: 0.1.0

    """

    groups: tuple[Group, ...] = attrs.field(converter=_groups)
    people: tuple[Person, ...] = attrs.field(converter=_people)
    organisations: tuple[Organisation, ...] = attrs.field(converter=_organisations)
    unassigned: tuple[Unassigned, ...] = attrs.field(converter=_unassigned)
    outside_target: tuple[str, ...] = attrs.field(converter=_ids)
    fits: tuple[GroupFit, ...] = attrs.field(converter=_fits)
    score: Score
    profile: str
    seed: int = 0
    solver: str = "heuristic"
    bound: Objective = attrs.field(factory=lambda: Objective(0, 0, 0, 0, 0))

    @property
    def objective(self) -> Objective:
        """The formation's value in the lexicographic objective (from :attr:`score`).

        Example:
            >>> from emessi.formation import Applicant, form_groups
            >>> from emessi.model import Person
            >>> pool = [Applicant(Person(f"p-{i}", "")) for i in range(7)]
            >>> form_groups(pool, facilitators=[Person("f-1", "")],
            ...             observers=[Person("o-1", "")]).objective
            Objective(unassigned=0, cannot_meet=0, group_size=40, rigid_slots=0, preferences=0)

        """
        return Objective.of(self.score)

    @property
    def gap(self) -> Objective:
        """How far :attr:`objective` is above :attr:`bound` (see :meth:`Objective.gap`).

        Example:
            >>> from emessi.formation import Applicant, form_groups
            >>> from emessi.model import Person
            >>> pool = [Applicant(Person(f"p-{i}", "")) for i in range(14)]
            >>> formation = form_groups(pool, facilitators=[Staff(Person("f-1", ""), 2)],
            ...                         observers=[Staff(Person("o-1", ""), 2)], groups=2)
            >>> formation.gap, formation.optimal
            (Objective(unassigned=0, cannot_meet=0, group_size=0, rigid_slots=0, preferences=0), True)

        """
        return self.objective.gap(self.bound)

    @property
    def optimal(self) -> bool:
        """Whether :attr:`objective` reaches :attr:`bound`: no formation is better.

        Example:
            >>> from emessi.formation import Applicant, form_groups
            >>> from emessi.model import Person
            >>> pool = [Applicant(Person(f"p-{i}", "")) for i in range(6)]
            >>> form_groups(pool, facilitators=[Person("f-1", "")],
            ...             observers=[Person("o-1", "")]).optimal
            True

        """
        return self.objective <= self.bound

    @property
    def flexibility(self) -> int:
        """The number of common slots, summed over groups (see :attr:`GroupFit.common_slots`).

        Example:
            >>> from datetime import time
            >>> from emessi.formation import Applicant, form_groups
            >>> from emessi.model import Person
            >>> from emessi.scheduling import Poll, Slot
            >>> slots = [Slot("mon", "Monday", time(10)), Slot("tue", "Tuesday", time(10))]
            >>> pool = [Applicant(Person(f"p-{i}", "")) for i in range(6)]
            >>> answers = {f"p-{i}": {"mon": "yes", "tue": "no" if i else "yes"} for i in range(6)}
            >>> answers["f-1"] = answers["o-1"] = {"mon": "yes", "tue": "yes"}
            >>> formation = form_groups(pool, facilitators=[Person("f-1", "")],
            ...                         observers=[Person("o-1", "")],
            ...                         availability=Poll.from_answers(slots, answers))
            >>> formation.flexibility, [s.id for s in formation.fits[0].common_slots]
            (1, ['mon'])

        """
        return sum(len(fit.common_slots) for fit in self.fits)

    @checked
    def fit(self, group: str) -> GroupFit:
        """The slot and language of the group with id *group*.

        Example:
            >>> from emessi.formation import Applicant, form_groups
            >>> from emessi.model import Person
            >>> pool = [Applicant(Person(f"p-{i}", "")) for i in range(5)]
            >>> form_groups(pool, facilitators=[Person("f-1", "")],
            ...             observers=[Person("o-1", "")]).fit("g-01").language
            'fi'

        """
        for fit in self.fits:
            if fit.group == group:
                return fit
        raise UsageError(
            _("no group {group} in the formation").format(group=safe_id(group)), path="group"
        )

    @checked
    def to_programme(
        self,
        id: str = "cohort",
        name: str = "",
        *,
        organisations: Iterable[Organisation] = (),
    ) -> Programme:
        """A :class:`~emessi.model.Programme` of the groups, ready to schedule and validate.

        Args:
            id: The programme's id.
            name: Its display name.
            organisations: Organisations the applicants did not describe:
                the staff's, or those applicants gave only as an id.

        Example:
            >>> from emessi.formation import Applicant, form_groups
            >>> from emessi.model import Person
            >>> from emessi.rules import validate
            >>> pool = [Applicant(Person(f"p-{i}", "")) for i in range(11)]
            >>> formation = form_groups(pool, facilitators=[Staff(Person("f-1", ""), 2)],
            ...                         observers=[Staff(Person("o-1", ""), 2)])
            >>> programme = formation.to_programme("spring")
            >>> len(programme.groups), validate(programme).ok
            (2, True)

        """
        extra = [o for o in organisations if o.id not in {x.id for x in self.organisations}]
        return Programme(
            id,
            name,
            profile=self.profile,
            organisations=self.organisations + tuple(extra),
            people=self.people,
            groups=self.groups,
        )


_APPLICANTS = check_for(tuple[Applicant, ...])
_STAFF = check_for(tuple[Staff | Person, ...])
_PAIRS = check_for(tuple[tuple[str, str], ...])
_TEXTS = check_for(tuple[str, ...])


def _whole(value: Any, check: Any, path: str) -> Any:
    """*value* if it is a collection (checked already), else the checked tuple it yields."""
    return value if isinstance(value, list | tuple | set | frozenset) else check(value, path)


@checked
def form_groups(
    applicants: Iterable[Applicant],
    profile: MethodProfile | str | None = None,
    *,
    facilitators: Iterable[Staff | Person],
    observers: Iterable[Staff | Person] = (),
    availability: Poll | None = None,
    groups: int | None = None,
    conflicts: Iterable[tuple[str, str]] = (),
    diversity: Iterable[str] = (),
    eligibility: Literal["report", "exclude"] = "report",
    weights: Weights | None = None,
    seed: int = 0,
    effort: float = 1.0,
    polish: float = 0.0,
    polish_workers: int = 1,
    timezone: str = "Europe/Helsinki",
    prefix: str = "g-",
) -> Formation:
    """Form peer groups (*ryhmien kokoaminen*) from applicants under a method profile.

    Hard constraints, always kept: every group's peer count is within the
    profile's allowed range (the preferred range where possible); peers of
    one organisation are in different groups when the profile separates
    organisations; each group has exactly the profile's facilitators and
    observers (its preferred minimum), each within their ``max_groups``;
    conflict pairs are never in one group. An organisation with more
    applicants than groups is kept apart when the profile's
    ``same-organisation`` severity is an error (the rest are left out with
    :attr:`Reason.ORGANISATION_FULL`), else its colleagues share groups at a
    cost. The rest is a lexicographic objective (see
    :class:`~emessi.formation.Objective`): place everyone who can be
    placed; every group able to meet (a slot all its members can attend,
    staff not double-booked, a shared language); groups of the profile's
    preferred size ("as a rule 5-6" peers in eMessi2, a rule of the
    method); as many common slots as possible (schedule flexibility); then
    the soft preferences (balanced sizes, *if need be* answers, diversity
    when asked). This order is emessi's reading of the method;
    ``Weights(size_first=False)`` puts flexibility before the preferred
    size. *weights* trade objectives off within a tier.

    A lower bound is computed first (:attr:`Formation.bound`) and the search
    stops when it reaches it. The search is a greedy construction followed
    by iterated local search (moves and swaps of peers, replacements and
    swaps of staff, ejection chains that make one more slot common), then
    maximum flows that open more common slots, and a last phase that
    re-optimises the soft preferences and the staff over every group at
    once (negative cycles of a min-cost flow). It is
    deterministic: the same input and *seed* give the same groups.

    Args:
        applicants: The people to form groups of.
        profile: A method profile or its name (eMessi by default).
        facilitators: Who can facilitate: :class:`Staff` (with a maximum
            load) or :class:`~emessi.model.Person` (one group each).
        observers: Observers and technical support, likewise.
        availability: An :class:`emessi.scheduling.Poll` of candidate
            weekly slots answered by applicants and staff; a slot someone
            did not answer counts as *no*. Without it, slots are not
            considered.
        groups: How many groups to form; by default as many as the
            preferred group size needs (fewer if the staff cannot cover
            them and the allowed maximum size still fits everyone).
        conflicts: Pairs of person ids never to put in one group.
        diversity: ``"sector"`` and/or ``"region"`` to spread in groups.
        eligibility: ``"report"`` keeps applicants outside the target group
            (listed in ``outside_target``); ``"exclude"`` leaves them out.
        weights: The cost of each objective.
        seed: The seed of the heuristic's random choices.
        effort: Multiplies the heuristic's search budget (0-100).
        polish: Seconds of the exact mode: OR-Tools CP-SAT (the ``cpsat``
            extra) with the groups' symmetry broken and the heuristic's
            groups as a hint; its answer is kept if better and its proven
            bound raises :attr:`Formation.bound`. 0 for none. The result is
            then time-dependent, no longer a function of the seed alone.
            At most 3,600 seconds.
        polish_workers: CP-SAT worker threads (1-64).
        timezone: The groups' IANA time zone.
        prefix: Group ids are the prefix and a number: ``g-01``.

    Raises:
        InfeasibleError: no formation keeps the hard constraints (too few
            applicants or staff, staff conflicts, ...); the message says
            which.
        DomainError: *effort*, *polish* or *polish_workers* beyond its
            ceiling (100, 3,600 s, 64), two applicants or staff members share an id, one
            organisation id is described two ways, a conflict names a
            person with themselves.
        UnknownReferenceError: a conflict names an unknown person.
        UsageError: a wrong kind of argument.
        MissingDependencyError: *polish* without OR-Tools installed.

    Example:
        >>> from emessi.formation import Applicant, Staff, form_groups
        >>> from emessi.model import Organisation, Person
        >>> pool = [
        ...     Applicant(Person(f"p-{i:02d}", f"Peer {i}"), Organisation(f"o-{i % 6}", "", staff=2))
        ...     for i in range(12)
        ... ]
        >>> formation = form_groups(pool, facilitators=[Staff(Person("f-1", "F"), max_groups=2)],
        ...                         observers=[Staff(Person("o-1", "O"), max_groups=2)])
        >>> [g.id for g in formation.groups], formation.score.total
        (['g-01', 'g-02'], 0)

    .. versionadded:: 0.1.0

    """
    # iterators are read (and checked) here, so their errors are emessi's
    applicants = _whole(applicants, _APPLICANTS, "applicants")
    facilitators = _whole(facilitators, _STAFF, "facilitators")
    observers = _whole(observers, _STAFF, "observers")
    conflicts = _whole(conflicts, _PAIRS, "conflicts")
    diversity = _whole(diversity, _TEXTS, "diversity")
    resolved = get_profile(profile)
    check_zone(None, _Field("timezone"), timezone)
    check_id(None, _Field("prefix"), f"{prefix}01")  # the groups' ids
    if not isinstance(weights, Weights | None):
        raise UsageError(_("weights must be a Weights"), path="weights")
    for name, value in (("effort", effort), ("polish", polish)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise UsageError(
                _("{name} must be a number of at least 0").format(name=name), path=name
            )
    # ceilings (emessi's): the search and CP-SAT are bounded in time
    for name, value, ceiling in (
        ("effort", effort, 100),
        ("polish", polish, 3600),
        ("polish_workers", polish_workers, 64),
    ):
        if not value <= ceiling:
            raise DomainError(_("{name} is at most {n}").format(name=name, n=ceiling), path=name)
    if polish_workers < 1:
        raise DomainError(_("polish_workers is at least 1"), path="polish_workers")
    table = (weights if weights is not None else Weights()).as_dict()
    inputs = _constraints.build(
        applicants,
        resolved,
        facilitators=facilitators,
        observers=observers,
        availability=availability,
        groups=groups,
        conflicts=conflicts,
        diversity=diversity,
        eligibility=eligibility,
        weights=table,
        size_first=(weights or Weights()).size_first,
    )
    problem = inputs.problem
    floor = cost(problem, inputs.bound)
    solution = _heuristic.solve(
        problem, seed=seed, effort=effort, floor=floor, rigid_floor=inputs.bound["rigid_slots"]
    )
    solver = "heuristic"
    public = weights or Weights()
    bound = Objective.of(Score.of(inputs.bound, public))
    if polish > 0:
        from emessi.formation import _cpsat

        found = cost(problem, count(problem, solution))
        result = _cpsat.solve(
            problem, hint=solution, seconds=polish, workers=polish_workers, seed=seed
        )
        better = result.solution
        if better is not None and cost(problem, count(problem, better)) < found:
            solution, solver = better, "heuristic+cp-sat"
            found = cost(problem, count(problem, better))
        if result.status == "OPTIMAL":
            proven = found
        elif result.bound is not None:
            proven = _cpsat.safe_floor(result.bound)
        else:
            proven = floor
        if proven > floor:
            bound = max(bound, Objective(*decode(min(proven, found), inputs.tiers)))
    return _formation(inputs, solution, resolved, public, seed, solver, timezone, prefix, bound)


def _formation(
    inputs: _constraints.Inputs,
    solution: Solution,
    profile: MethodProfile,
    weights: Weights,
    seed: int,
    solver: str,
    timezone: str,
    prefix: str,
    bound: Objective,
) -> Formation:
    problem = inputs.problem
    members = solution.members(problem.groups)
    # Present groups in slot order, then by their first applicant.
    order = sorted(
        range(problem.groups),
        key=lambda g: (solution.slot[g], members[g][0] if members[g] else problem.n_peers),
    )
    width = max(2, len(str(problem.groups)))
    n = problem.n_peers
    roles = dict.fromkeys(problem.facilitators, Role.FACILITATOR)
    roles.update(dict.fromkeys(problem.observers, Role.OBSERVER))
    everyone = [a.person for a in inputs.peers] + [s.person for s in inputs.staff]
    groups: list[Group] = []
    fits: list[GroupFit] = []
    in_group: set[int] = set()
    for number, g in enumerate(order, start=1):
        gid = f"{prefix}{number:0{width}d}"
        staff = sorted(solution.staff[g], key=lambda i: (roles[i] is Role.OBSERVER, i))
        memberships = [Membership(everyone[i].id) for i in members[g]]
        memberships += [Membership(everyone[i].id, roles[i]) for i in staff]
        in_group.update(members[g], staff)
        groups.append(Group(gid, f"Group {number}", timezone=timezone, memberships=memberships))
        fits.append(_fit(inputs, gid, members[g] + staff, solution.slot[g], solution.lang[g]))
    people = [everyone[i] for i in range(len(everyone)) if i in in_group]
    organisations: dict[str, Organisation] = {}
    for i in range(n):
        organisation = inputs.peers[i].organisation
        if i in in_group and organisation is not None:
            organisations.setdefault(organisation.id, organisation)
    unassigned = [Unassigned(a, Reason.OUTSIDE_TARGET_GROUP) for a in inputs.excluded]
    unassigned += [
        Unassigned(problem.ids[i], _reason(problem, solution, members, i))
        for i in range(n)
        if solution.group_of[i] < 0
    ]
    return Formation(
        groups=groups,
        people=people,
        organisations=organisations.values(),
        unassigned=unassigned,
        outside_target=inputs.outside,
        fits=fits,
        score=Score.of(count(problem, solution), weights),
        profile=profile.name,
        seed=seed,
        solver=solver,
        bound=bound,
    )


def _fit(
    inputs: _constraints.Inputs, gid: str, everyone: list[int], slot: int, lang: int
) -> GroupFit:
    problem = inputs.problem
    fit = GroupFit(gid)
    if problem.slots:
        required = [i for i in everyone if problem.slot_required[i]]
        fit = attrs.evolve(
            fit,
            slot=inputs.slots[slot],
            common_slots=[
                option
                for s, option in enumerate(inputs.slots)
                if all(problem.answers[i][s] != NO for i in required)
            ],
            unavailable=[problem.ids[i] for i in required if problem.answers[i][slot] == NO],
            if_need_be=[problem.ids[i] for i in required if problem.answers[i][slot] == IF_NEED_BE],
        )
    if problem.languages:
        fit = attrs.evolve(
            fit,
            language=problem.languages[lang],
            without_language=[problem.ids[i] for i in everyone if problem.lang_cost[i][lang]],
        )
    return fit


def _reason(problem: Problem, solution: Solution, members: list[list[int]], i: int) -> Reason:
    org = problem.org[i]
    if problem.separate and org >= 0:
        holding = sum(1 for peers in members if any(problem.org[j] == org for j in peers))
        if holding == problem.groups:
            return Reason.ORGANISATION_FULL
    room = [g for g in range(problem.groups) if len(members[g]) < problem.hi]
    if not room:
        return Reason.NO_ROOM
    for g in room:
        everyone = set(members[g]) | set(solution.staff[g])
        org = problem.org[i]
        if problem.separate and org >= 0 and any(problem.org[j] == org for j in members[g]):
            continue
        if problem.conflicts[i] & everyone:
            continue
        return Reason.COST
    return Reason.SEPARATION
