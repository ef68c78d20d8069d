"""Forming peer groups from applicants (*ryhmien kokoaminen*).

Assembling the groups is where a cohort starts: eMessi2 had 11 groups of
5-6 peers from small NGO workplaces, each with a facilitator and an observer
(eMessi2 source text). :func:`form_groups` does this in seconds under a
method profile's hard constraints and weighs the soft ones (a common
recurring slot, a shared language, preferred and balanced sizes,
diversity), and explains who was left out and why.

Example:
    >>> from emessi.formation import Applicant, Staff, form_groups
    >>> from emessi.model import Person
    >>> pool = [Applicant(Person(f"p-{i:02d}", f"Peer {i}")) for i in range(11)]
    >>> formation = form_groups(pool, facilitators=[Staff(Person("f-1", "F"), max_groups=2)],
    ...                         observers=[Staff(Person("o-1", "O"), max_groups=2)])
    >>> len(formation.groups), formation.unassigned
    (2, ())

.. versionadded:: 0.1.0

"""

from emessi.formation._csv import read_applicants
from emessi.formation.applicants import Applicant, Staff, applicants_from_programme
from emessi.formation.formation import Formation, GroupFit, Reason, Unassigned, form_groups
from emessi.formation.score import Objective, Score, ScoreTerm, Weights

__all__ = [
    "Applicant",
    "Formation",
    "GroupFit",
    "Objective",
    "Reason",
    "Score",
    "ScoreTerm",
    "Staff",
    "Unassigned",
    "Weights",
    "applicants_from_programme",
    "form_groups",
    "read_applicants",
]
