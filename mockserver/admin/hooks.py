"""Request hooks of the test harness (journal, faults, rate limits), installed after the guard."""


def install(app, rt) -> None:
    """Register the harness hooks on the app."""
