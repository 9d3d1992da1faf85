"""The short soak (~20 s, included by default): mixed load over loopback, no error, memory flat.

The long run is ``python -m tests.soak --seconds 300`` (its figures: docs/reliability.md).
"""
from __future__ import annotations

import os

import pytest

from ..soak import soak

pytestmark = pytest.mark.soak

SECONDS = float(os.environ.get("MOCKSERVER_SOAK_SECONDS", "20"))


@pytest.mark.soak
def test_short_soak_has_no_error_and_flat_memory():
    result = soak(seconds=SECONDS, threads=8, window=SECONDS / 5, report=lambda row: None)
    print(f"\nsoak: {result}")
    assert result["errors"] == 0, result["firstErrors"]
    assert result["requests"] > 100  # the load really ran
    # Flat: after warm-up, resident memory grows by less than 48 MB over the run (a leak of a few KB per
    # request would show here: thousands of requests per window).
    assert result["rssMB"]["growth"] < 48, result["rssMB"]
