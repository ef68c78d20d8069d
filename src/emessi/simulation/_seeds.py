"""Seeds keyed by task, never by chunk: the root of executor-independence.

Replication *run* of grid point *point* draws from the stream
``SeedSequence(seed, spawn_key=(point, run))``, which is the same as
``SeedSequence(seed).spawn(points)[point].spawn(runs)[run]``. Which worker
runs it, and with which other replications in a chunk, cannot change it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["generator"]


def generator(seed: int, point: int, run: int) -> np.random.Generator:
    """The random generator of replication *run* at grid point *point*."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(point, run)))
