"""An installable plug-in that adds the "entrepreneurs" method profile to emessi."""

import tomllib
from importlib import resources

from emessi import MethodProfile, profile_from_dict


def profile() -> MethodProfile:
    """The entrepreneurs profile, read from this package's data."""
    text = resources.files(__name__).joinpath("entrepreneurs.toml").read_text("utf-8")
    return profile_from_dict(tomllib.loads(text), source="entrepreneurs.toml")
