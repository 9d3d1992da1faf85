"""Test support for users' suites and the mock's own: the live server (``LiveServer``), the in-process adapter
(``inprocess``), the harness client (``client``) and the pytest plugin (``plugin``, entry point ``wxcc``)."""
from .live import LiveServer

__all__ = ["LiveServer"]
