"""Checking formation inputs, detecting infeasible pools, building the problem.

Every check here runs before any search, so an impossible request fails at
once with an :class:`~emessi.errors.InfeasibleError` that names the
constraint and gives ids and counts only, never names or e-mails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from math import ceil

import attrs

from emessi._i18n import _, ngettext, pgettext
from emessi.errors import DomainError, InfeasibleError, UnknownReferenceError, UsageError
from emessi.formation._availability import read_availability
from emessi.formation._problem import NO, OBJECTIVES, Problem, tiered_weights, tiers_for
from emessi.formation.applicants import Applicant, Staff
from emessi.method._severity import Severity
from emessi.method.profiles import MethodProfile
from emessi.model._checks import safe_id
from emessi.model.people import Organisation, Person
from emessi.scheduling.poll import Slot

__all__ = ["Inputs", "build", "lower_bound"]

DIVERSITY = ("region", "sector")


@attrs.define(eq=False)
class Inputs:
    """The checked inputs: who is considered, who was left out, the problem."""

    problem: Problem
    peers: list[Applicant]
    staff: list[Staff]
    excluded: list[str]
    outside: list[str]
    organisations: dict[str, Organisation]
    slots: tuple[Slot, ...]
    #: A lower bound on each objective's count, valid lexicographically.
    bound: dict[str, int] = attrs.field(factory=dict)
    #: Each tier's (multiplier, divisor) in the problem's weights.
    tiers: tuple[tuple[int, int], ...] = ()


def _staff(values: Iterable[Staff | Person], field: str) -> list[Staff]:
    result = []
    for index, value in enumerate(values):
        if isinstance(value, Person):
            value = Staff(value)
        if not isinstance(value, Staff):
            raise UsageError(
                _("expected a Staff or a Person, not {actual}").format(actual=type(value).__name__),
                path=f"{field}[{index}]",
            )
        result.append(value)
    return result


def _eligible(applicant: Applicant, profile: MethodProfile) -> bool:
    # The target group is the profile's preferred workplace size: eMessi
    # names "small work communities of fewer than 5 people" (source text).
    if applicant.organisation is None:
        return True
    low, high = profile.workplace_size.preferred
    return low <= applicant.organisation.staff <= high


def groups_staff_can_cover(staff: Sequence[Staff], per_group: int) -> int:
    """The most groups *staff* can serve with *per_group* distinct members each."""
    if per_group == 0:
        return 1 << 30
    # Each member serves a group at most once, so at most min(load, k) of k
    # groups; sum(min(load, k)) - per_group * k is concave and 0 at k = 0, so
    # the k that fit form a range 0..best: a binary search finds its end.
    low, high = 0, sum(s.max_groups for s in staff) // per_group
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(s.max_groups, middle) for s in staff) >= per_group * middle:
            low = middle
        else:
            high = middle - 1
    return low


def _group_count(
    n: int,
    profile: MethodProfile,
    requested: int | None,
    largest_org: tuple[str, int] | None,
    cover: dict[str, int],
) -> int:
    lo, hi = profile.peers.allowed
    pref_hi = max(1, profile.peers.preferred[1])
    can_lead = min(cover.values())
    short = min(cover, key=lambda role: cover[role])
    if requested is not None:
        if type(requested) is not int or requested < 1:
            raise UsageError(_("groups must be a positive integer"), path="groups")
        if requested > can_lead:
            raise InfeasibleError(
                _(
                    "{requested} groups requested but the {role} can cover only {can} "
                    "(the profile needs {need} per group, within each one's max_groups)"
                ).format(
                    requested=requested,
                    role=_role(short),
                    can=can_lead,
                    need=_need(profile, short),
                ),
                path=short,
            )
        if n < requested * lo:
            raise InfeasibleError(
                _(
                    "{n} applicants cannot fill {requested} groups of at least {low} peers "
                    "(the {profile} profile's allowed minimum)"
                ).format(n=n, requested=requested, low=lo, profile=profile.name),
                path="groups",
            )
        return requested
    if n < lo:
        raise InfeasibleError(
            ngettext(
                "{n} applicant is fewer than the smallest allowed group "
                "({low} peers under the {profile} profile)",
                "{n} applicants are fewer than the smallest allowed group "
                "({low} peers under the {profile} profile)",
                n,
            ).format(n=n, low=lo, profile=profile.name),
            path="applicants",
        )
    most = n // lo  # more groups could not all reach the minimum size
    least = ceil(n / hi) if hi else most
    # As many groups as the largest organisation has applicants, where that
    # many can be filled and staffed; an organisation larger still overflows
    # (its extra applicants are left out or placed at a cost, see build()).
    need_org = min(largest_org[1] if largest_org is not None else 1, most)
    # Preferred sizes where possible ("as a rule 5-6", eMessi2), else the
    # fewest groups that keep everyone within the allowed maximum.
    k = min(max(ceil(n / pref_hi), least, need_org), most)
    if k > can_lead:
        if can_lead >= least:
            return can_lead
        needed = least
        raise InfeasibleError(
            _(
                "too few {role}: {n} applicants need at least {needed} groups "
                "(at most {high} peers each under the {profile} profile) but the {role} "
                "can cover only {can}"
            ).format(
                role=_role(short), n=n, needed=needed, high=hi, profile=profile.name, can=can_lead
            ),
            path=short,
        )
    return k


def _role(role: str) -> str:
    """``facilitators`` or ``observers`` in the current language (the ones at hand)."""
    if role == "facilitators":
        return pgettext("the staff at hand", "facilitators")
    return pgettext("the staff at hand", "observers")


def _need(profile: MethodProfile, role: str) -> int:
    bounds = profile.facilitators if role == "facilitators" else profile.observers
    return bounds.preferred[0]


def _unique_ids(applicants: Sequence[Applicant], staff: dict[str, list[Staff]]) -> None:
    seen: dict[str, str] = {}
    for index, applicant in enumerate(applicants):
        where = f"applicants[{index}]"
        if applicant.id in seen:
            raise DomainError(
                _("person {person} is also {where}").format(
                    person=safe_id(applicant.id), where=seen[applicant.id]
                ),
                path=where,
            )
        seen[applicant.id] = where
    for field, members in staff.items():
        for index, member in enumerate(members):
            where = f"{field}[{index}]"
            if member.id in seen:
                raise DomainError(
                    _("person {person} is also {where}").format(
                        person=safe_id(member.id), where=seen[member.id]
                    ),
                    path=where,
                )
            seen[member.id] = where


def _organisations(applicants: Sequence[Applicant]) -> dict[str, Organisation]:
    known: dict[str, Organisation] = {}
    for index, applicant in enumerate(applicants):
        organisation = applicant.organisation
        if organisation is None:
            continue
        first = known.setdefault(organisation.id, organisation)
        if first != organisation:
            raise DomainError(
                _(
                    "organisation {organisation} is described differently by another applicant"
                ).format(organisation=safe_id(organisation.id)),
                path=f"applicants[{index}].organisation",
            )
    return known


def _conflicts(
    applicants: Sequence[Applicant], pairs: Iterable[tuple[str, str]], index: dict[str, int]
) -> list[set[int]]:
    known = {a.id for a in applicants} | set(index)
    result: list[set[int]] = [set() for _unused in index]

    def add(a: str, b: str, path: str) -> None:
        for person in (a, b):
            if not isinstance(person, str) or person not in known:
                raise UnknownReferenceError(
                    _("no applicant or staff member {person}").format(person=safe_id(person)),
                    path=path,
                )
        if a == b:
            raise DomainError(
                _("{person} cannot be in conflict with themselves").format(person=safe_id(a)),
                path=path,
            )
        if a in index and b in index:  # an excluded applicant is in no group
            result[index[a]].add(index[b])
            result[index[b]].add(index[a])

    for number, pair in enumerate(pairs):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise UsageError(_("a conflict is a pair of person ids"), path=f"conflicts[{number}]")
        add(pair[0], pair[1], f"conflicts[{number}]")
    for number, applicant in enumerate(applicants):
        for other_number, other in enumerate(applicant.avoid):
            add(applicant.id, other, f"applicants[{number}].avoid[{other_number}]")
    return result


def build(
    applicants: Iterable[Applicant],
    profile: MethodProfile,
    *,
    facilitators: Iterable[Staff | Person],
    observers: Iterable[Staff | Person],
    availability: object,
    groups: int | None,
    conflicts: Iterable[tuple[str, str]],
    diversity: Iterable[str],
    eligibility: str,
    weights: dict[str, int],
    size_first: bool = True,
) -> Inputs:
    """Check the inputs and return the problem to solve, or raise."""
    pool = list(applicants)
    for number, applicant in enumerate(pool):
        if not isinstance(applicant, Applicant):
            raise UsageError(
                _("expected an Applicant, not {actual}").format(actual=type(applicant).__name__),
                path=f"applicants[{number}]",
            )
    if eligibility not in ("report", "exclude"):
        raise UsageError(_("eligibility is 'report' or 'exclude'"), path="eligibility")
    asked = tuple(diversity) if not isinstance(diversity, str) else (diversity,)
    for name in asked:
        if name not in DIVERSITY:
            raise UsageError(
                _("diversity is asked of {allowed}, not {name}").format(
                    allowed=DIVERSITY, name=safe_id(name)
                ),
                path="diversity",
            )
    staff = {"facilitators": _staff(facilitators, "facilitators")}
    staff["observers"] = _staff(observers, "observers")
    _unique_ids(pool, staff)
    organisations = _organisations(pool)
    outside = [a.id for a in pool if not _eligible(a, profile)]
    excluded = outside if eligibility == "exclude" else []
    skip = set(excluded)
    peers = [a for a in pool if a.id not in skip]
    n = len(peers)
    if n == 0:
        raise InfeasibleError(_("no applicants to form groups from"), path="applicants")

    per_group = {role: _need(profile, role) for role in staff}
    cover = {
        role: groups_staff_can_cover(members, per_group[role]) for role, members in staff.items()
    }
    # The person's organisation id: the Organisation record may be missing.
    org_counts = Counter(a.person.organisation for a in peers if a.person.organisation)
    largest = None
    if profile.separate_organisations and org_counts:
        largest = min(org_counts.items(), key=lambda item: (-item[1], item[0]))
    k = _group_count(n, profile, groups, largest, cover)
    # An organisation with more applicants than groups: when the profile
    # makes same-organisation an error, separation stays hard and the extra
    # applicants are left out; otherwise (a warning, as in eMessi) they are
    # placed at a cost, in parts of at most k that are each kept apart.
    strict = profile.severity_for("same-organisation", Severity.WARNING) is Severity.ERROR

    everyone = [a.person for a in peers] + [s.person for s in staff["facilitators"]]
    everyone += [s.person for s in staff["observers"]]
    index = {person.id: i for i, person in enumerate(everyone)}
    slots: tuple[Slot, ...] = ()
    answers: list[tuple[int, ...]] = [() for _unused in everyone]
    if availability is not None:
        slots, answers = read_availability(availability, [person.id for person in everyone])
    n_fac = len(staff["facilitators"])
    required = [True] * (n + n_fac) + [profile.observer_required] * len(staff["observers"])
    org_index = {org: i for i, org in enumerate(sorted(org_counts))}
    home = [org_index[a.person.organisation] if a.person.organisation else -1 for a in peers]
    org = list(home)
    overflow = 0
    if profile.separate_organisations:
        seen: Counter[int] = Counter()
        extra = len(org_index)
        for i, o in enumerate(home):
            if o < 0:
                continue
            seen[o] += 1
            part = (seen[o] - 1) // k
            if part and strict:
                overflow += 1
            elif part:
                org[i] = extra + o * n + part  # a part of its own, kept apart
    capacity = [0] * n + [s.max_groups for s in staff["facilitators"] + staff["observers"]]
    serving = sum(min(c, k) for c in capacity)
    people = n + serving
    caps = {
        "unassigned": n,
        "staff_clash": serving,
        "unavailable": people,
        "language": people,
        "rigid_slots": k * len(slots),
        "size": k * max(profile.peers.preferred[0], profile.peers.allowed[1]),
        "balance": profile.peers.allowed[1],
        "if_need_be": people,
        "diversity": n * len(asked),
        "same_organisation": n,
    }
    given = dict(weights)
    if not profile.separate_organisations:
        given["same_organisation"] = 0
    if not given["unavailable"]:
        given["rigid_slots"] = 0  # a "no" costs nothing: no slot is rigid
    weights, tiers = tiered_weights(given, caps, tiers_for(size_first))
    cost_of = (0, weights["if_need_be"], weights["unavailable"])
    slot_cost = [
        tuple(cost_of[a] if need else 0 for a in row)
        for row, need in zip(answers, required, strict=True)
    ]
    languages = tuple(sorted({lang for person in everyone for lang in person.languages}))
    lang_cost = [
        tuple(0 if lang in person.languages else weights["language"] for lang in languages)
        for person in everyone
    ]
    values = []
    for name in asked:
        labels = [getattr(a.organisation, name, None) for a in peers]
        order = {label: i for i, label in enumerate(sorted({x for x in labels if x is not None}))}
        values.append([-1 if label is None else order[label] for label in labels])
    problem = Problem(
        ids=[person.id for person in everyone],
        n_peers=n,
        groups=k,
        lo=profile.peers.allowed[0],
        hi=profile.peers.allowed[1],
        pref_lo=profile.peers.preferred[0],
        pref_hi=profile.peers.preferred[1],
        org=org,
        separate=profile.separate_organisations,
        conflicts=[frozenset(c) for c in _conflicts(pool, conflicts, index)],
        facilitators=list(range(n, n + n_fac)),
        observers=list(range(n + n_fac, len(everyone))),
        per_group_facilitators=per_group["facilitators"],
        per_group_observers=per_group["observers"],
        capacity=capacity,
        slots=tuple(slot.id for slot in slots),
        answers=answers,
        slot_required=required,
        slot_cost=slot_cost,
        languages=languages,
        lang_cost=lang_cost,
        diversity=values,
        weights=weights,
        home=home,
    )
    return Inputs(
        problem,
        peers,
        staff["facilitators"] + staff["observers"],
        excluded,
        outside,
        organisations,
        slots,
        lower_bound(problem, overflow, size_first),
        tiers,
    )


def lower_bound(problem: Problem, overflow: int, size_first: bool = True) -> dict[str, int]:
    """A lower bound on the objective's counts, computed before any search.

    Applicants that can never be placed: those beyond every group's room,
    and those of an organisation with more applicants than groups when
    separation is kept (*overflow*). Given that many left out, the rest
    follows for the placed peers: the size deviation and imbalance their
    number forces, and per slot the groups that must hold a peer who
    answered "no" to it (those peers fill at least ``ceil(no / largest)``
    groups). When the preferred size is a tier above flexibility
    (*size_first*) and the placed peers fit in groups of the preferred
    size, a formation that reaches the size bound has no group above the
    preferred maximum, and every other one is worse in that tier: so the
    largest group is counted at the preferred maximum there. The lower
    tiers are bounds only when leaving people out costs something;
    otherwise they are 0.
    """
    p, k = problem, problem.groups
    bound = dict.fromkeys(OBJECTIVES, 0)
    bound["unassigned"] = max(0, p.n_peers - k * p.hi, overflow)
    if not p.weights["unassigned"]:
        bound["unassigned"] = 0
        return bound
    out = bound["unassigned"]
    placed = p.n_peers - out
    bound["size"] = max(0, k * p.pref_lo - placed) + max(0, placed - k * p.pref_hi)
    bound["balance"] = 1 if placed % k else 0
    largest = p.hi
    if size_first and p.weights["size"] and bound["size"] == 0:
        largest = max(1, min(p.hi, p.pref_hi))
    if p.slots:
        for s in range(len(p.slots)):
            saying_no = sum(
                1 for i in range(p.n_peers) if p.slot_required[i] and p.answers[i][s] == NO
            )
            bound["rigid_slots"] += -(-max(0, saying_no - out) // largest)
    return bound
