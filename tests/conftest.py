"""Shared test configuration: hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) is thorough but fits the CI
budget; the default ``dev`` profile is quick for local runs.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Tests and doctests expect English whatever the machine's locale; the
# language tests set their own environment.
os.environ["EMESSI_LANG"] = "en"

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile(
    "dev",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    # Nightly: the fuzz suite (tests/test_fuzz.py) and every property, many
    # more examples. HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py
    "fuzz",
    max_examples=5000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
