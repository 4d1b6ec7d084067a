"""Durations kept as counts in fixed buckets, so a median or a 90th percentile can be estimated
from running aggregates alone (no list of every case's time is ever kept or read).

Bucket `i` holds durations `d` (seconds) with `BOUNDS[i-1] < d <= BOUNDS[i]`; bucket 0 holds
`d <= 1 s`, the last one everything above `BOUNDS[-1]` (about 100 days). The bounds grow by
RATIO (1.25) from 1 s, so a bucket is at most 25 % wider than its lower bound.

How exact: `quantile` finds the bucket that holds the requested rank exactly (counts are exact)
and interpolates linearly inside it. The true value lies in the same bucket, so the estimate is
off by less than the bucket's width: at most 25 % of the value (e.g. a true median of 2 hours
is reported between 1 h 36 min and 2 h 30 min), usually much less since the interpolation
assumes the bucket's values evenly spread. The mean (sum / count) is exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

RATIO = 1.25
BUCKETS = 73
BOUNDS: tuple[float, ...] = tuple(RATIO**i for i in range(BUCKETS - 1))
"""Upper bound (seconds) of bucket i, for i < BUCKETS - 1; the last bucket has none."""


def bucket(seconds: float) -> int:
    """The bucket index (0 .. BUCKETS-1) of a duration in seconds (negative counts as 0)."""
    if seconds <= 1:
        return 0
    i = math.ceil(math.log(seconds) / math.log(RATIO) - 1e-9)
    # Guard the float edge: keep BOUNDS[i-1] < seconds <= BOUNDS[i].
    while i < BUCKETS - 1 and seconds > BOUNDS[i]:
        i += 1
    while i > 0 and seconds <= BOUNDS[i - 1]:
        i -= 1
    return min(i, BUCKETS - 1)


def histogram(durations: Iterable[float]) -> dict[int, int]:
    """{bucket: count} of some durations (seconds): what the aggregates add up, event by event."""
    counts: dict[int, int] = {}
    for d in durations:
        b = bucket(d)
        counts[b] = counts.get(b, 0) + 1
    return counts


def merged(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    """The sum of several histograms (days into a month, services into the office)."""
    total: dict[int, int] = {}
    for h in histograms:
        for b, n in h.items():
            total[b] = total.get(b, 0) + int(n)
    return total


def quantile(counts: Mapping[int, int], q: float) -> float | None:
    """The estimated q-quantile (0 < q <= 1; 0.5 the median, 0.9 the 90th percentile) in seconds
    of the durations counted in `counts` ({bucket: count}); None when nothing was counted.

    The rank is q * n (the nearest-rank rule: the median of 4 values is the 2nd); the value is
    interpolated linearly within its bucket from the bucket's lower to upper bound (the last
    bucket answers its lower bound). See the module docstring for how exact this is."""
    if not 0 < q <= 1:
        raise ValueError(f"q must be in (0, 1], not {q}")
    n = sum(counts.values())
    if n <= 0:
        return None
    rank = max(1, math.ceil(q * n))
    seen = 0
    for b in sorted(counts):
        c = counts[b]
        if c <= 0:
            continue
        if seen + c >= rank:
            low = 0.0 if b == 0 else BOUNDS[b - 1]
            if b >= BUCKETS - 1:
                return low
            high = BOUNDS[b]
            return low + (high - low) * (rank - seen) / c
        seen += c
    return None  # pragma: no cover - the loop always reaches the rank
