"""The short soaks (~20 s each, marker ``soak``): mixed load over loopback, no error, memory flat; and the living
tenant: no 5xx, no event vanished, the delivery queue bounded.

The long runs are ``python -m tests.soak --seconds 300`` and ``python -m tests.soak_living`` (10 minutes; their
figures: docs/reliability.md).
"""
from __future__ import annotations

import os

import pytest

from ..soak import soak
from ..soak_living import soak_living

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


@pytest.mark.soak
def test_short_living_soak_has_no_5xx_loses_no_event_and_bounds_the_queue():
    """The living tenant (``tests.soak_living``): live clock, agents, contacts, /search, configuration writes and a
    receiver that is sometimes slow and sometimes down. The long run: ``python -m tests.soak_living``."""
    result = soak_living(seconds=SECONDS, threads=2, window=SECONDS / 4, report=lambda row: None)
    print(f"\nliving soak: {result}")
    assert result["errors"] == 0, result["firstErrors"]  # no 5xx, no transport error, no unexpected status
    assert result["requests"] > 100 and result["deliveries"]["accepted"] > 0  # the load and the events flowed
    assert result["vanished"] == 0 and result["loggedDeliveredNotReceived"] == 0, result
    assert result["pendingAtEnd"] == 0 and result["maxQueue"] <= result["queueBound"], result
    assert result["deliveries"]["delivered"] > 0, result
