"""Address book (``address-book``, v3): speed-dial lists for agents; its entries live in ``address_book_entry``."""
from __future__ import annotations

from .address_book_entry import AddressBookEntryDTO
from .export import copy
from .spec import DTO, Nest, Ref, Resource, Str, tag


class AddressBookDTO(DTO):
    """An address book."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    description = Str(max=255)
    parentType = Str(required=True, enum=("ORGANIZATION", "SITE"))
    siteId = Str()


class AddressBookWithEntriesDTO(AddressBookDTO):
    """The v1 paths' address book, its entries inline."""

    addressBookEntries = Nest(AddressBookEntryDTO, many=True)


V1 = ("addressBookEntries", AddressBookWithEntriesDTO)


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
    create=("v3/address-book", "address-book"),
    items={"v3/address-book/<id>": "GET PUT DELETE", "address-book/<id>": "GET PUT DELETE"},
    inline={"address-book": V1, "address-book/<id>": V1},  # the v1 paths carry the entries (facts 3.7)
    bulk={},
    refs=(Ref("siteId", "site"),),
    search=("name", "number"), export=export_row)
