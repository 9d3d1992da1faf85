"""What a resource module declares: its schema (field helpers here), its paths, and its rules for the engine."""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from typing import Callable

import marshmallow as ma
from marshmallow import validate

from ..compat import web as compat

# -- field helpers: the vendor's DTOs are strings, booleans, int32/int64 and lists of ids ---------------
# Optional fields accept null (Jackson does); nulls are then omitted from the stored document.


def Str(required=False, max=None, enum=None, pattern=None, min=None, **kw):
    """A string field, with the vendor's maxLength / enum / pattern (``min``: an id that cannot be empty)."""
    checks = []
    if max or min:
        checks.append(validate.Length(min=min, max=max))
    if enum:
        checks.append(validate.OneOf(enum))
    if pattern:
        checks.append(validate.Regexp(pattern, error="Does not match the pattern {regex}."))
    return ma.fields.String(required=required, allow_none=not required, validate=checks or None, **kw)


def Bool(required=False, **kw):
    """A boolean field (JSON true/false only)."""
    return ma.fields.Boolean(required=required, allow_none=not required, truthy={True}, falsy={False}, **kw)


def Int(required=False, min=None, max=None, **kw):
    """An integer field (int32 unless a larger bound is given)."""
    low = -(2 ** 31) if min is None else min
    high = 2 ** 31 - 1 if max is None else max
    return ma.fields.Integer(required=required, allow_none=not required, strict=True,
                             validate=validate.Range(min=low, max=high), **kw)


def Long(required=False, **kw):
    """An int64 field (epoch milliseconds)."""
    return ma.fields.Integer(required=required, allow_none=not required, strict=True, **kw)


def Ids(required=False, **kw):
    """A list of ids (or other strings)."""
    return ma.fields.List(ma.fields.String(), required=required, allow_none=not required, **kw)


def Nest(schema, many=False, required=False, **kw):
    """A nested object (or list of them)."""
    return ma.fields.Nested(schema, many=many, required=required, allow_none=not required, **kw)


class DTO(ma.Schema):
    """Fields every configuration object carries; the server owns them (accepted on input, then replaced)."""

    class Meta:
        # Unknown properties are ignored: not stored, not echoed, no error, as the live (Spring) service does
        # (webex-cc-facts.md 3.7). Where the spec says additionalProperties: false, constraints.py refuses them.
        unknown = ma.EXCLUDE

    organizationId = Str(max=36)
    id = Str()
    version = Int()
    createdTime = Long()
    lastUpdatedTime = Long()
    links = ma.fields.Raw(allow_none=True, metadata={"description": "Ignored (server-generated links)."})


class Child(ma.Schema):
    """Sub-objects of the vendor DTOs ignore unknown fields too (``flowOverrideSettings[].id``, facts 3.7)."""

    class Meta:
        unknown = ma.EXCLUDE


def tag() -> str:
    """A short unique suffix for example names (valid in every vendor name pattern)."""
    return uuid.uuid4().hex[:10]


# -- references ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A field holding ids of another resource: ``siteId``, ``teamIds[]``, ``activeSkills[].skillId``."""

    path: str
    kind: str

    @property
    def top(self) -> str:
        """The top-level field the path starts at."""
        return self.path.split(".", 1)[0].removesuffix("[]")

    @property
    def indexed(self) -> bool:
        """Top-level scalar or list of ids: the store's index answers who points at an id."""
        return "." not in self.path

    @property
    def label(self) -> str:
        """How error reasons name the field (``siteId``, ``activeSkills.skillId``)."""
        return self.path.replace("[]", "")

    @functools.cached_property
    def _steps(self) -> tuple:
        return tuple((step.removesuffix("[]"), step.endswith("[]")) for step in self.path.split("."))

    def values(self, doc: dict) -> list[str]:
        """Every id this reference holds in a document."""
        steps = self._steps
        if len(steps) == 1 and not steps[0][1]:  # a top-level id (``siteId``): every write checks several
            value = doc.get(steps[0][0]) if isinstance(doc, dict) else None
            return [value] if isinstance(value, str) else []
        nodes = [doc]
        for name, many in steps:
            nxt = []
            for node in nodes:
                value = node.get(name) if isinstance(node, dict) else None
                if value is None:
                    continue
                if many and isinstance(value, list):
                    nxt.extend(value)
                elif not many:
                    nxt.append(value)
            nodes = nxt
        # An empty string is an id like any other (and never found): live answers 400 for siteId "" (issue 11).
        return [v for v in nodes if isinstance(v, str)]


@dataclass(frozen=True)
class Upload:
    """A multipart resource: the DTO travels as the ``info`` part, the audio bytes as the ``file`` part."""

    info: str  # form field of the JSON DTO (audioFileInfo, agentPersonalGreetingInfo)
    file: str = "audioFile"


# -- the resource declaration ---------------------------------------------------------------------------

SERVER_FIELDS = ("organizationId", "id", "version", "createdTime", "lastUpdatedTime", "links")
DEFAULT_EXCLUDED = ("organizationId", "createdTime", "lastUpdatedTime")


def _name(doc: dict):
    return doc.get("name")


def _inactive(doc: dict) -> bool:
    return doc.get("active") is False


@dataclass
class Resource:
    """One vendor resource. Paths are relative to ``/organization/<orgid>/``; None means "the usual one"."""

    kind: str  # the vendor's path segment, also the store table
    title: str  # for OpenAPI tags and messages
    schema: type  # marshmallow schema of the DTO (input validation + documentation)
    example: Callable  # example(make) -> minimal valid payload; make(kind) -> id of a new object of that kind
    v1_list: str | None = ""  # "" = "<kind>"; None = no v1 list
    paged: tuple | None = None  # default ("v2/<kind>",)
    create: tuple | None = None  # collection paths accepting POST; default ("<kind>",)
    items: dict | None = None  # item path -> methods; default {"<kind>/<id>": "GET PUT DELETE"}
    references_path: str | None = ""  # "" = "<kind>/<id>/incoming-references"; None = none
    bulk: dict | None = None  # bulk path -> methods; default {"<kind>/bulk": "POST"} (PATCH = partial updates)
    unique: tuple = ("name",)
    refs: tuple = ()
    immutable: tuple = ()
    list_drop: tuple = ()  # array fields the vendor removes from list views
    filter_excluded: tuple | None = None  # default: organizationId, the timestamps and list_drop
    filter_alias: dict = field(default_factory=dict)  # filter name -> stored field (team userId -> userIds)
    search: tuple = ("name",)
    sortable: bool = False
    readonly: tuple = ()  # response-only fields: accepted on input, dropped
    derived: tuple = ()  # (id field, kind, copied field[, source field]): team siteId -> siteName (source "name")
    parent: tuple | None = None  # (parent kind, url variable) for sub-collections (address-book entries)
    display: Callable | None = None  # display(doc) -> name shown in incoming-references (default: name)
    can_create: bool = True
    can_delete: bool = True
    export: Callable | None = None  # export(doc, ctx) -> one row of GET <kind>/bulk-export (see export.py)
    export_type: str | None = None  # stored field the export's required ``type`` (INBOUND/OUTBOUND) selects on
    purge: bool = False  # POST <kind>/purge-inactive-entities (see purge.py)
    inactive: Callable | None = None  # inactive(doc) -> whether purge may remove it (default: active is False)
    extras: tuple = ()  # modules of this package adding the resource's other routes: routes(spec, add)
    more_referrers: Callable | None = None  # more_referrers(store, org, doc) -> [(kind, doc)] outside the engine
    computed: Callable | None = None  # computed(doc): response-only values the server sets on every write
    upload: "Upload | None" = None  # create/replace are multipart uploads (audio-file, agent-personal-greeting)
    vendor_schema: str | None = None  # the spec's component checked by constraints.py; default the schema's name
    inline: dict = field(default_factory=dict)  # path -> (field, documented schema): children in the body (inline.py)

    def __post_init__(self):
        k = self.kind
        if self.v1_list == "":
            self.v1_list = k
        if self.paged is None:
            self.paged = (f"v2/{k}",)
        if self.create is None:
            self.create = (k,) if self.can_create else ()
        if self.items is None:
            self.items = {f"{k}/<id>": "GET PUT DELETE" if self.can_delete else "GET PUT"}
        if self.references_path == "":
            self.references_path = f"{k}/<id>/incoming-references"
        if self.bulk is None:
            self.bulk = {f"{k}/bulk": "POST"}
        if self.filter_excluded is None:
            self.filter_excluded = DEFAULT_EXCLUDED + tuple(self.list_drop)
        if self.display is None:
            self.display = _name
        if self.inactive is None:
            self.inactive = _inactive
        self.fields = tuple(f.data_key or n for n, f in compat.declared_fields(self.schema).items())
        self.dropped = frozenset(SERVER_FIELDS) | set(self.readonly) | {"systemDefault"}
        self.item_path = next(iter(self.items)) if self.items else None
        self.vendor_schema = self.vendor_schema or self.schema.__name__

    def filterable(self) -> set:
        """Field names a filter may use."""
        return (set(self.fields) | set(self.filter_alias)) - set(self.filter_excluded) - {"links"}
