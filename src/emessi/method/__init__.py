"""The method: profiles, the theme catalogue and the session process."""

from emessi.method._severity import Severity
from emessi.method.process import (
    MeetingKind,
    MeetingPlan,
    agenda_for,
    default_ground_rules,
    session_framework,
    with_agendas,
)
from emessi.method.profiles import Bounds, MethodProfile
from emessi.method.registry import (
    ENTRY_POINT_GROUP,
    get_profile,
    load_profile,
    profile_from_dict,
    profile_names,
    register_profile,
)
from emessi.method.themes import ThemeCatalogue, default_catalogue

__all__ = [
    "ENTRY_POINT_GROUP",
    "Bounds",
    "MeetingKind",
    "MeetingPlan",
    "MethodProfile",
    "Severity",
    "ThemeCatalogue",
    "agenda_for",
    "default_catalogue",
    "default_ground_rules",
    "get_profile",
    "load_profile",
    "profile_from_dict",
    "profile_names",
    "register_profile",
    "session_framework",
    "with_agendas",
]
