"""Every touch of a library's private (or undocumented) internals, each a named function saying which and why.

An upgrade that breaks one fails ``tests/test_library_internals.py``, which tests these functions; the libraries
have upper version bounds in ``pyproject.toml``. The rest of the code calls only these names or public API.

* ``web``: flask-smorest (the app of an ``Api``, the blueprint -> api table, building a blueprint's part of the
  document later, a view's ``_apidoc``), werkzeug (a lazily compiled URL builder), marshmallow
  (``Schema._declared_fields``).
* ``schemas``: marshmallow (``SchemaMeta.resolve_hooks``: a new schema class's hooks found without ``dir()``).
* ``servers``: waitress (its socket map, trigger and channels, for a clean stop) and Granian (one thread worker
  in this process).
* ``store``: TinyDB, public API only (``TinyDB.storage``, ``MemoryStorage.read``): the live table dicts.
* ``deferred``: which modules Werkzeug, PyJWT and flask-smorest import without reading them before first use
  (stand-ins on the serve path), and marshmallow's e-mail patterns compiled on first use.
"""
