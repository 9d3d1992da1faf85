"""Address book (``address-book``, v3): speed-dial lists for agents; its entries live in ``address_book_entry``."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Ref, Resource, Str, tag


class AddressBookDTO(DTO):
    """An address book."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    description = Str(max=255)
    parentType = Str(required=True, enum=("ORGANIZATION", "SITE"))
    siteId = Str()


def example(make) -> dict:
    """A minimal valid organisation-wide address book."""
    return {"name": f"Book {tag()}", "parentType": "ORGANIZATION"}


def export_row(doc: dict, ctx) -> dict:
    """AddressBookBulkExportDTO: the book with its entries as name/number pairs."""
    entries = ctx.children("address-book-entry", "addressBookId", doc["id"])
    return {**copy(doc, "id", "name", "description"), "parentSite": doc.get("siteId"),
            "entryDetails": [{"entryName": e["name"], "phoneNumber": e["number"]} for e in entries]}


SPEC = Resource(
    "address-book", "Address Book", AddressBookDTO, example,
    paged=("v3/address-book", "v2/address-book"),
    create=("v3/address-book",),
    items={"v3/address-book/<id>": "GET PUT DELETE", "address-book/<id>": "GET PUT DELETE"},
    bulk={},
    refs=(Ref("siteId", "site"),),
    search=("name", "number"), export=export_row)
