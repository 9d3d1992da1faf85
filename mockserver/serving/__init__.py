"""Serving the app: ``mockserver serve``'s checks and banner (``startup``) and the one-process servers (``server``:
Granian by default, waitress as the fallback)."""
