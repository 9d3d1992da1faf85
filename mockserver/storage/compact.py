"""Compact tables: a large fixture file's documents kept as their serialised bytes, parsed when read.

A table read from a fixture file of at least ``fixtures.COMPACT_BYTES`` (1 MiB) is stored as
``{id: msgspec.Raw}``: each Raw is a zero-copy slice of the file's bytes (which the store keeps anyway, as its
reset copy), so 100,000 users cost the 97 MB of their file instead of about 280 MiB of Python dicts, and the
start splits the file instead of building a dict per document (docs/performance.md, Memory and Start-up). A
document is parsed when it is read (about 2-4 µs), and replaced by a dict when it is written.

msgspec splits the file because it validates the whole of it as JSON (structure, strings, escapes) without
building the values: the split is what the start checks. Checked at start: the file is UTF-8, JSON, a list of
objects each with a string or integer ``id``. Found only when a document is first read: a number out of range
of a 64-bit float (``1e999``), reported as a ``FixtureError`` (a Webex error 500 for the request).
"""
from __future__ import annotations

import msgspec

Raw = msgspec.Raw


class _Id(msgspec.Struct, gc=False):
    id: str | int


_SPLIT = msgspec.json.Decoder(list[msgspec.Raw])
_IDS = msgspec.json.Decoder(list[_Id])
_DOC = msgspec.json.Decoder()


class CompactError(ValueError):
    """A compact file or document that is not what a fixture must be (the message says what and where)."""


class Compact:
    """One fixture file's documents: ``records`` ``{id: Raw}`` (last of an id wins) over ``data``, the file."""

    __slots__ = ("data", "records", "count")

    def __init__(self, data: bytes):
        if not data.isascii():  # msgspec does not check the UTF-8 of a value it skips: decoding does (a copy)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CompactError(f"not UTF-8 at byte {exc.start}") from None
        try:
            if b"\n" in data:  # laid out on lines: each document's bytes must be one line of the storage log
                data = msgspec.json.format(data, indent=-1)
            raws = _SPLIT.decode(data)
            ids = _IDS.decode(data)  # a second pass in C that skips every field but the id: faster than one per raw
        except msgspec.ValidationError as exc:
            raise CompactError(f"a list of objects each with an 'id' is required ({exc})") from None
        except msgspec.DecodeError as exc:
            raise CompactError(str(exc)) from None
        self.records = dict(zip([i.id for i in ids], raws))
        self.data = data
        self.count = len(raws)

    def __len__(self) -> int:
        return self.count


def parse(value, where: str = "") -> dict:
    """The document of a stored value: a dict as it is (stored object), a Raw parsed (a new dict)."""
    if type(value) is dict:
        return value
    try:
        return _DOC.decode(value)
    except msgspec.DecodeError as exc:  # a number out of range: the split does not look into numbers
        from .fixtures import FixtureError

        raise FixtureError(f"{where or 'a document of a large fixture file'}: {exc}") from None


_FIELDS: dict[str, msgspec.json.Decoder] = {}  # a decoder per indexed field name (bounded: see field())


def field(value, name: str):
    """One top-level field of a compact document (None when it has none), every other field skipped unparsed.

    Building an index over 100,000 compact users: about 1 µs a document instead of parsing each one whole.
    """
    decoder = _FIELDS.get(name)
    if decoder is None:
        decoder = msgspec.json.Decoder(msgspec.defstruct("Field", [("v", object, None)], rename={"v": name}))
        if len(_FIELDS) < 256:  # field names come from code and from filters: the cache stays small
            _FIELDS[name] = decoder
    try:
        return decoder.decode(value).v
    except msgspec.DecodeError:
        return parse(value).get(name)  # raises the FixtureError naming what failed


def fragment(value):
    """orjson's ``default`` for a Raw (its bytes as they are) and a Compact (the list of its documents)."""
    if type(value) is Raw:
        import orjson

        return orjson.Fragment(bytes(value))
    if type(value) is Compact:
        return list(value.records.values())
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
