"""``python -m mockserver`` is the ``mockserver`` command."""
from .cli import console

console()
