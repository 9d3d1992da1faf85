"""Address book entry (``address-book-entry``): a name and number under ``/address-book/{addressBookId}/entry``."""
from __future__ import annotations

from .spec import DTO, Resource, Str, tag


class AddressBookEntryDTO(DTO):
    """One entry."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    number = Str(required=True, pattern=r"^[0-9()+-]+$")


def example(make) -> dict:
    """A minimal valid entry."""
    return {"name": f"Contact {tag()}", "number": "+14085550100"}


SPEC = Resource(
    "address-book-entry", "Address Book Entry", AddressBookEntryDTO, example,
    parent=("address-book", "addressBookId"),
    v1_list=None,
    paged=("v2/address-book/<addressBookId>/entry",),
    create=("address-book/<addressBookId>/entry",),
    items={"address-book/<addressBookId>/entry/<id>": "GET PUT DELETE"},
    references_path=None,
    bulk={"address-book/<addressBookId>/entry/bulk": "POST"},
    search=("name", "number"),
)
