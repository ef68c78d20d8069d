"""emessi: the eMessi method of web-mediated peer-group mentoring, as a library.

Small closed groups of peers from small workplaces, a facilitator and an
observer meet online about monthly and talk through themes they choose, to
promote well-being at work (*työhyvinvointi*). emessi models the groups,
roles, profiles, rules, themes and session process of the method, validates
plans against it and stores them losslessly.

Example:
    >>> import emessi
    >>> group = emessi.Group("g-01", memberships=[emessi.Membership("p-01")])
    >>> emessi.validate(group).ok
    False

.. versionadded:: 0.1.0

"""

from emessi import errors
from emessi.errors import EmessiError
from emessi.io import dump, dumps, formats, from_data, load, loads, to_data
from emessi.method import (
    Bounds,
    MeetingKind,
    MeetingPlan,
    MethodProfile,
    Severity,
    ThemeCatalogue,
    agenda_for,
    default_catalogue,
    default_ground_rules,
    get_profile,
    load_profile,
    profile_from_dict,
    profile_names,
    register_profile,
    session_framework,
    with_agendas,
)
from emessi.model import (
    AgendaItem,
    ChangeKind,
    Dimension,
    Group,
    Meeting,
    MeetingChange,
    MeetingStatus,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    Theme,
    add_member,
    assign_secretaries,
    cancel_meeting,
    hold_meeting,
    local_date,
    remove_member,
)
from emessi.rules import (
    Breach,
    Context,
    Finding,
    Report,
    Rule,
    register_rule,
    rule,
    rules,
    unregister_rule,
    validate,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "AgendaItem",
    "Bounds",
    "Breach",
    "ChangeKind",
    "Context",
    "Dimension",
    "EmessiError",
    "Finding",
    "Group",
    "Meeting",
    "MeetingChange",
    "MeetingKind",
    "MeetingPlan",
    "MeetingStatus",
    "Membership",
    "MethodProfile",
    "Organisation",
    "Person",
    "Programme",
    "Report",
    "Role",
    "Rule",
    "Severity",
    "Theme",
    "ThemeCatalogue",
    "__version__",
    "add_member",
    "agenda_for",
    "assign_secretaries",
    "cancel_meeting",
    "default_catalogue",
    "default_ground_rules",
    "dump",
    "dumps",
    "errors",
    "formats",
    "from_data",
    "get_profile",
    "hold_meeting",
    "load",
    "load_profile",
    "loads",
    "local_date",
    "profile_from_dict",
    "profile_names",
    "register_profile",
    "register_rule",
    "remove_member",
    "rule",
    "rules",
    "session_framework",
    "to_data",
    "unregister_rule",
    "validate",
    "with_agendas",
]
