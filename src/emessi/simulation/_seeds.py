"""Random streams keyed by block of replications, never by chunk or executor.

Replications of a grid point are numbered ``0, 1, ...`` and cut into
*blocks* of :func:`block_size` replications; the block size depends only on
the cohort's shape (peers x groups), so it is fixed for a scenario. Block
*b* of point *p* has two streams: ``SeedSequence(seed, spawn_key=(p, b, 0))``
for every uniform number of its meetings and ``(p, b, 1)`` for its peers'
attendance propensities. One SeedSequence per block, not one per
replication: 10,000 runs of a small cohort seed three blocks.

Within a block, every draw is laid out replication by replication and has a
size fixed by the cohort's shape, so replication *i* of a block always gets
the same numbers: a task that holds replications ``lo..hi-1`` of a block
draws its own numbers and *advances* the stream past the others
(``PCG64.advance``) without drawing them. Which worker runs which
replications, in which chunks, cannot change a result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Streams", "block_size"]

# A block holds at most this many peer slots (replications x peers x
# groups), which bounds the kernel's working memory to a few tens of MB
# whatever the number of runs; and at most this many replications.
BLOCK_ELEMENTS = 1 << 18
MAX_BLOCK = 4096


def block_size(width: int, groups: int) -> int:
    """Replications per seed block for a cohort of *groups* groups of up to *width* peers.

    The largest power of two whose block fits :data:`BLOCK_ELEMENTS` (at
    least 1, at most :data:`MAX_BLOCK`): a function of the cohort alone.
    """
    fit = BLOCK_ELEMENTS // max(1, width * groups)
    size = 1
    while size * 2 <= min(fit, MAX_BLOCK):
        size *= 2
    return size


class Streams:
    """The random numbers of replications ``lo..hi-1`` of one block of *size*."""

    def __init__(self, seed: int, point: int, block: int, size: int, lo: int, hi: int) -> None:
        self.seed, self.point, self.block = seed, point, block
        self.size, self.lo, self.hi = size, lo, hi
        sequence = np.random.SeedSequence(seed, spawn_key=(point, block, 0))
        self.bits = np.random.PCG64(sequence)
        self.events = np.random.Generator(self.bits)

    def uniform(self, out: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Fill *out* ``(hi - lo, ...)`` with this draw's uniforms in [0, 1).

        The block's draw has ``size`` rows; the rows of other tasks are
        skipped, not drawn (one 64-bit output per float64).
        """
        row = out[0].size if out.ndim > 1 else 1
        if self.lo:
            self.bits.advance(self.lo * row)
        self.events.random(out=out)
        rest = self.size - self.hi
        if rest:
            self.bits.advance(rest * row)
        return out

    def beta(self, a: Any, b: Any, shape: tuple[int, ...]) -> npt.NDArray[np.float64]:
        """Beta(a, b) numbers of shape ``(hi - lo, *shape)``; *a*, *b* broadcast to *shape*.

        Beta draws use a variable number of uniforms, so the rows before
        ``lo`` are drawn and dropped: the block size bounds that waste.
        """
        sequence = np.random.SeedSequence(self.seed, spawn_key=(self.point, self.block, 1))
        drawn = np.random.default_rng(sequence).beta(a, b, size=(self.hi, *shape))
        return drawn[self.lo :]
