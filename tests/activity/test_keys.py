"""The task order and the history's index in two columns (``activity/keys.py``) answer as the sorted list of
``(time, id)`` tuples they replace: positions, items, slices, deletions and inserts."""
from __future__ import annotations

import bisect
import random

from mockserver.activity.keys import Keys


def _pairs(seed: int, n: int) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    return sorted((rng.randrange(50), f"{rng.randrange(16 ** 4):04x}") for _ in range(n))


def test_positions_match_bisect_over_tuples():
    pairs = _pairs(1, 300)
    keys = Keys(pairs)
    assert len(keys) == 300 and list(keys) == pairs and keys[5] == pairs[5] and keys[-1] == pairs[-1]
    assert keys[10:20] == pairs[10:20] and keys == pairs
    for t in range(-1, 52):
        assert keys.left(t) == bisect.bisect_left(pairs, (t, ""))
        assert keys.right(t) == bisect.bisect_right(pairs, t, key=lambda p: p[0])
        for rid in ("", "0000", "7fff", "ffff", *(p[1] for p in pairs if p[0] == t)):
            assert keys.left(t, rid) == bisect.bisect_left(pairs, (t, rid)), (t, rid)
            assert keys.right(t, rid) == bisect.bisect_right(pairs, (t, rid)), (t, rid)
    t, rid = pairs[123]
    assert keys.find(t, rid) == pairs.index((t, rid)) and keys.find(t, "zzzz") == -1 and keys.find(99, rid) == -1


def test_edits_match_the_list():
    pairs = _pairs(2, 200)
    keys = Keys(pairs)
    for t, rid in [(25, "8000"), (-5, "a"), (60, "b"), (pairs[50][0], pairs[50][1] + "x")]:
        keys.add(t, rid)
        bisect.insort(pairs, (t, rid))
    assert list(keys) == pairs
    del keys[:7], pairs[:7]
    del keys[3], pairs[3]
    keys[:10] = [p for p in keys[:10] if p[1] < "8"]
    pairs[:10] = [p for p in pairs[:10] if p[1] < "8"]
    assert list(keys) == pairs and len(keys.times) == len(keys.ids) == len(pairs)
    keys[:] = []
    assert len(keys) == 0 and not keys and keys.left(3) == 0
