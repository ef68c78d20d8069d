"""The method: profiles, the theme catalogue and the session process."""

from emessi.method._severity import Severity
from emessi.method.process import (
    MeetingKind,
    MeetingPlan,
    agenda_for,
    default_ground_rules,
    framework_provenance,
    ground_rules_provenance,
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
    profile_origin,
    register_profile,
)
from emessi.method.texts import text_provenance
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
    "framework_provenance",
    "get_profile",
    "ground_rules_provenance",
    "load_profile",
    "profile_from_dict",
    "profile_names",
    "profile_origin",
    "register_profile",
    "session_framework",
    "text_provenance",
    "with_agendas",
]
