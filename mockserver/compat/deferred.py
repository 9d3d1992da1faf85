"""Library modules that ``mockserver serve`` imports only when something first uses them (docs/performance.md).

Some libraries import, at their own import, modules that only a few of their functions use: Werkzeug's package
imports its development server (``werkzeug.serving``: ``http.server``, ``socketserver``) for ``run_simple``,
PyJWT imports ``cryptography.x509`` to refuse a DER certificate given as an HMAC secret, flask-smorest imports
PyYAML for the ``flask openapi write --format yaml`` command. None of them is used before the first answer, most never.

``install()`` puts a stand-in module in ``sys.modules`` for each: the importer binds it as usual, and the first
read of any attribute the stand-in does not define imports the real module and answers from it (later imports
get the real module). A stand-in may define *forwarders*: functions of the real module that an importer binds
by name at its own import (``from werkzeug.serving import run_simple``); each imports the real module when
called. Only functions can be forwarded, never classes (a subclass or ``isinstance`` needs the real one), and
only modules whose importers read nothing else at import time: ``tests/test_library_internals.py`` checks
that, for the versions installed.

The regular expressions a module compiles at its own import (``LAZY_PATTERNS``) are compiled when first used
instead: marshmallow's ``Email`` validator compiles a pattern of four ranges of 65,000 characters, ignoring
case, when ``marshmallow.validate`` is imported (20-40 ms); the mock has no e-mail field.
"""
from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
import types

#: module -> the functions its importers bind by name at their own import (forwarded to the real module).
DEFERRED: dict[str, tuple[str, ...]] = {
    # werkzeug/__init__.py: ``from .serving import run_simple``; flask/app.py and flask/cli.py:
    # ``from werkzeug.serving import is_running_from_reloader`` (called by ``app.run`` and the ``flask`` command).
    "werkzeug.serving": ("run_simple", "is_running_from_reloader"),
    # jwt/algorithms.py: ``from cryptography import x509``, read only when an HMAC secret (HS256) is checked for
    # being a DER key or certificate; the mock signs and verifies RS256.
    "cryptography.x509": (),
    # flask_smorest/spec/__init__.py: ``import yaml``, read only by ``flask openapi print/write --format yaml``.
    "yaml": (),
}

#: Modules whose own import compiles regular expressions no start-up uses (made on first use instead).
LAZY_PATTERNS = ("marshmallow.validate",)

_lock = threading.RLock()
_compile = re.compile


class StandIn(types.ModuleType):
    """A module not imported yet: reading an attribute it lacks imports the real module."""

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):  # e.g. __path__, __file__: asked by import machinery
            raise AttributeError(name)
        return getattr(load(self.__name__), name)

    def __setattr__(self, name: str, value) -> None:  # e.g. a test's monkeypatch: it must reach the real module
        setattr(load(self.__name__), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(load(self.__name__), name)


def _forwarder(module: str, name: str):
    def forward(*args, **kwargs):
        return getattr(load(module), name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    forward.__module__ = module
    forward.__doc__ = f"``{module}.{name}``, imported when first called."
    return forward


def load(name: str) -> types.ModuleType:
    """The real module ``name`` (imported now if only its stand-in is there)."""
    with _lock:
        found = sys.modules.get(name)
        if found is not None and not isinstance(found, StandIn):
            return found
        standin = sys.modules.pop(name, None)
        try:
            return importlib.import_module(name)
        except BaseException:
            if standin is not None:
                sys.modules[name] = standin
            raise


def is_loaded(name: str) -> bool:
    """Whether the real module ``name`` has been imported (a stand-in does not count)."""
    found = sys.modules.get(name)
    return found is not None and not isinstance(found, StandIn)


class LazyPattern:
    """A regular expression compiled when first used: any attribute (``match``, ``pattern``...) is the compiled
    pattern's. Two threads using it first may both compile it; either result is the same pattern."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, pattern, flags):
        self._source = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):  # e.g. ABCMeta asking for __isabstractmethod__
            raise AttributeError(name)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _compile(*self._source)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0][:40]!r}..., compiled={self._compiled is not None})"


def import_with_lazy_patterns(name: str) -> types.ModuleType:
    """Import module ``name``: the ``re.compile`` calls its own code makes meanwhile return ``LazyPattern``s.

    Only calls from that module's frames are deferred (other threads compile as usual meanwhile); once imported,
    ``re.compile`` is the stdlib's again. A module imported already is returned as it is.
    """
    with _lock:
        if name in sys.modules:
            return sys.modules[name]

        def compile(pattern, flags=0):
            if sys._getframe(1).f_globals.get("__name__") == name:
                return LazyPattern(pattern, flags)
            return _compile(pattern, flags)

        re.compile = compile
        try:
            return importlib.import_module(name)
        finally:
            re.compile = _compile


def install(modules: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """A stand-in for each module of ``modules`` (default ``DEFERRED``) not imported yet; returns their names.

    Its parent package is imported (it is imported anyway) and given the stand-in as its attribute, as an
    import of the submodule would.
    """
    placed = []
    with _lock:
        for name, forwarded in (DEFERRED if modules is None else modules).items():
            if name in sys.modules or importlib.util.find_spec(name.partition(".")[0]) is None:
                continue
            standin = StandIn(name, f"{name}, imported when first used (mockserver.compat.deferred)")
            for attr in forwarded:
                standin.__dict__[attr] = _forwarder(name, attr)
            sys.modules[name] = standin
            parent, _, child = name.rpartition(".")
            if parent:
                try:
                    setattr(importlib.import_module(parent), child, standin)
                except BaseException:
                    del sys.modules[name]
                    raise
            placed.append(name)
        if modules is None:
            for name in LAZY_PATTERNS:
                if name not in sys.modules and importlib.util.find_spec(name.partition(".")[0]) is not None:
                    import_with_lazy_patterns(name)
                    placed.append(name)
    return placed
