"""marshmallow's schema classes made quicker: the hooks of a new class found without ``dir()`` (start-up).

marshmallow: ``SchemaMeta.resolve_hooks``, called for every new schema class (``SchemaMeta.__init__``), looks at
every name ``dir(cls)`` lists (about 150: the ``Schema`` methods and ``object``'s) and reads
``__marshmallow_hook__`` from each, an ``AttributeError`` raised and caught for nearly all. A start makes about
160 schema classes, 15 ms of CPU in that function (docs/performance.md "Start-up"). ``resolve_hooks`` here gives
the same table: the names of every class of the MRO (the names ``dir`` lists, sorted as it sorts them), each
name's attribute taken from the first class of the MRO that declares it, as marshmallow takes it.
``tests/test_library_internals.py`` compares it with marshmallow's own on every schema class of the mock.
"""
from __future__ import annotations

from collections import defaultdict

from marshmallow.schema import SchemaMeta

_ORIGINAL = SchemaMeta.resolve_hooks


def resolve_hooks(cls) -> dict[str, list[tuple[str, bool, dict]]]:
    """``SchemaMeta.resolve_hooks``'s table (tag -> [(attribute name, many, kwargs)]), without ``dir()``."""
    declared: dict[str, object] = {}
    for parent in cls.__mro__:
        for name, attr in parent.__dict__.items():
            declared.setdefault(name, attr)  # the first class of the MRO declaring a name is the one read
    hooks: dict[str, list[tuple[str, bool, dict]]] = defaultdict(list)
    for name in sorted(declared):
        config = getattr(declared[name], "__marshmallow_hook__", None)
        if config:
            for tag, entries in config.items():
                hooks[tag].extend((name, many, kwargs) for many, kwargs in entries)
    return hooks


def original_resolve_hooks(cls):
    """marshmallow's own ``resolve_hooks`` (the tests compare the two)."""
    return _ORIGINAL(cls)


def install() -> None:
    """Schema classes made from now on find their hooks with ``resolve_hooks`` above (idempotent)."""
    SchemaMeta.resolve_hooks = resolve_hooks
