"""Flows: registered by create_app through ``register(api, runtime)``."""


def register(api, rt) -> None:
    """Attach this package's blueprints to the app."""
