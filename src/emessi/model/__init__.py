"""The domain model: people, groups, meetings, programmes. No I/O."""

from emessi.model.changes import (
    add_member,
    assign_secretaries,
    cancel_meeting,
    hold_meeting,
    local_date,
    remove_member,
)
from emessi.model.groups import Group, Membership
from emessi.model.meetings import AgendaItem, ChangeKind, Meeting, MeetingChange, MeetingStatus
from emessi.model.people import Organisation, Person, Role
from emessi.model.programme import Programme
from emessi.model.themes import NGO_TAGS, Dimension, Theme

__all__ = [
    "NGO_TAGS",
    "AgendaItem",
    "ChangeKind",
    "Dimension",
    "Group",
    "Meeting",
    "MeetingChange",
    "MeetingStatus",
    "Membership",
    "Organisation",
    "Person",
    "Programme",
    "Role",
    "Theme",
    "add_member",
    "assign_secretaries",
    "cancel_meeting",
    "hold_meeting",
    "local_date",
    "remove_member",
]
