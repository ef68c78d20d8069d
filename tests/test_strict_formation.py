"""Issue 10 item 1 at the public boundary of emessi.formation.

Applicants, staff, weights, scores and form_groups' arguments: a wrong type
is a UsageError at the field or parameter, never echoing the value.
"""

from __future__ import annotations

from typing import Any

import pytest

from emessi import Programme
from emessi.errors import DomainError, EmessiError, UnknownValueError, UsageError
from emessi.formation import (
    Applicant,
    Formation,
    GroupFit,
    Objective,
    Reason,
    Score,
    ScoreTerm,
    Staff,
    Unassigned,
    Weights,
    applicants_from_programme,
    form_groups,
)
from emessi.model import Organisation, Person

PLANTED = "Aino Virtanen aino@example.org"
POOL = [Applicant(Person(f"p-{i}", "")) for i in range(6)]
STAFF = {"facilitators": [Person("f-1", "")], "observers": [Person("o-1", "")]}


def _refused(error: type[EmessiError], path: str, call: Any) -> EmessiError:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.path == path
    assert "Aino" not in str(caught.value)
    assert caught.value.__cause__ is None
    return caught.value


def test_applicant_and_staff_check_their_fields() -> None:
    """person must be a Person, organisation an Organisation, avoid ids, max_groups a count."""
    _refused(UsageError, "person", lambda: Applicant(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "organisation", lambda: Applicant(Person("p-1", ""), "o-1"))  # type: ignore[arg-type]
    _refused(UsageError, "avoid", lambda: Applicant(Person("p-1", ""), avoid="p-2"))
    _refused(UsageError, "avoid[0]", lambda: Applicant(Person("p-1", ""), avoid=[2]))  # type: ignore[list-item]
    _refused(DomainError, "avoid[0]", lambda: Applicant(Person("p-1", ""), avoid=[PLANTED]))
    assert Applicant(Person("p-1", ""), avoid=iter(["p-2"])).avoid == ("p-2",)
    _refused(UsageError, "person", lambda: Staff(None))  # type: ignore[arg-type]
    _refused(UsageError, "max_groups", lambda: Staff(Person("f-1", ""), "2"))  # type: ignore[arg-type]
    _refused(DomainError, "max_groups", lambda: Staff(Person("f-1", ""), 10**12))


def test_weights_scores_and_objectives_check_their_fields() -> None:
    """Weights are counts; score terms, scores and objectives check types."""
    _refused(UsageError, "size", lambda: Weights(size="40"))  # type: ignore[arg-type]
    _refused(DomainError, "size", lambda: Weights(size=-1))
    _refused(UsageError, "count", lambda: ScoreTerm("size", 1.5, 40))  # type: ignore[arg-type]
    _refused(UsageError, "terms", lambda: Score(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "terms[0]", lambda: Score([PLANTED]))  # type: ignore[list-item]
    _refused(UsageError, "counts", lambda: Score.of([("size", 1)], Weights()))  # type: ignore[arg-type]
    _refused(UsageError, "weights", lambda: Score.of({}, {"size": 1}))  # type: ignore[arg-type]
    _refused(UsageError, "preferences", lambda: Objective(0, 0, 0, 0, "0"))  # type: ignore[arg-type]
    _refused(UsageError, "bound", lambda: Objective(0, 0, 0, 0, 0).gap((0, 0, 0, 0, 0)))  # type: ignore[arg-type]
    _refused(UsageError, "score", lambda: Objective.of(PLANTED))  # type: ignore[arg-type]
    assert Score.of({"size": 1}, Weights()).total == 40


def test_results_check_their_fields_and_methods() -> None:
    """Unassigned converts its reason; GroupFit refuses bare strings; Formation's methods check."""
    assert Unassigned("p-1", "no-room").reason is Reason.NO_ROOM  # type: ignore[arg-type]
    _refused(UnknownValueError, "reason", lambda: Unassigned("p-1", PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "unavailable", lambda: GroupFit("g-01", unavailable="p-1"))
    _refused(UsageError, "slot", lambda: GroupFit("g-01", slot="tue"))  # type: ignore[arg-type]
    formation = form_groups(POOL, **STAFF)  # type: ignore[arg-type]
    assert isinstance(formation, Formation)
    _refused(UsageError, "group", lambda: formation.fit(1))  # type: ignore[arg-type]
    _refused(UsageError, "id", lambda: formation.to_programme(1))  # type: ignore[arg-type]
    _refused(UsageError, "organisations", lambda: formation.to_programme(organisations="o"))


@pytest.mark.parametrize(
    ("keywords", "error", "path"),
    [
        ({"applicants": PLANTED}, UsageError, "applicants"),
        ({"applicants": [PLANTED]}, UsageError, "applicants[0]"),
        ({"applicants": (a for a in [PLANTED])}, UsageError, "applicants[0]"),
        ({"profile": 5}, UsageError, "profile"),
        ({"facilitators": "f-1"}, UsageError, "facilitators"),
        ({"facilitators": [PLANTED]}, UsageError, "facilitators[0]"),
        ({"observers": [5]}, UsageError, "observers[0]"),
        ({"availability": {}}, UsageError, "availability"),
        ({"groups": "2"}, UsageError, "groups"),
        ({"groups": 10**20}, DomainError, "groups"),
        ({"conflicts": ["p-1"]}, UsageError, "conflicts[0]"),
        ({"conflicts": [("p-1", "p-2", "p-3")]}, UsageError, "conflicts[0]"),
        ({"diversity": "sector"}, UsageError, "diversity"),
        ({"eligibility": PLANTED}, UnknownValueError, "eligibility"),
        ({"weights": {"size": 1}}, UsageError, "weights"),
        ({"seed": "1"}, UsageError, "seed"),
        ({"effort": float("nan")}, DomainError, "effort"),
        ({"polish": float("inf")}, DomainError, "polish"),
        ({"polish_workers": 1.5}, UsageError, "polish_workers"),
        ({"effort": 1e6}, DomainError, "effort"),
        ({"polish": 86_400}, DomainError, "polish"),
        ({"polish_workers": 0}, DomainError, "polish_workers"),
        ({"polish_workers": 10**6}, DomainError, "polish_workers"),
        ({"timezone": 5}, UsageError, "timezone"),
        ({"prefix": PLANTED}, DomainError, "prefix"),
        ({"prefix": "x" * 70}, DomainError, "prefix"),
    ],
)
def test_form_groups_checks_every_argument(
    keywords: dict[str, Any], error: type[EmessiError], path: str
) -> None:
    """Each argument of the wrong type or out of bounds is refused at its name."""
    arguments: dict[str, Any] = {"applicants": POOL, **STAFF, **keywords}
    _refused(error, path, lambda: form_groups(**arguments))


def test_form_groups_wrong_calls_and_applicants_from_programme() -> None:
    """A missing facilitators argument is a UsageError; the programme reader checks its own."""
    with pytest.raises(UsageError, match="argument"):
        form_groups(POOL)  # type: ignore[call-arg]
    _refused(UsageError, "programme", lambda: applicants_from_programme(PLANTED))  # type: ignore[arg-type]
    roster = Programme(
        "p", organisations=[Organisation("o-1", "")], people=[Person("p-1", "", organisation="o-1")]
    )
    _refused(UsageError, "exclude", lambda: applicants_from_programme(roster, exclude="p-1"))
    assert [a.id for a in applicants_from_programme(roster, exclude=iter(["x"]))] == ["p-1"]
