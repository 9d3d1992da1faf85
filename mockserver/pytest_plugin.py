"""The pytest plugin lives in ``mockserver.testing.plugin`` and loads by its entry point ``wxcc`` when the package
is installed. This module stays so that ``pytest -p mockserver.pytest_plugin`` keeps working: it registers the
plugin if the entry point has not."""


def pytest_configure(config):
    """Register the real plugin unless the entry point already did."""
    from .testing import plugin

    if not config.pluginmanager.is_registered(plugin):
        config.pluginmanager.register(plugin, "wxcc")
