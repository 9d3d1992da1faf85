"""What start-up builds lives as long as the process: no garbage collection passes over it while it is built."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_off() -> Iterator[bool]:
    """No collection inside (yields whether the collector was on); the collector as it was after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield collecting
    finally:
        if collecting:
            gc.enable()
