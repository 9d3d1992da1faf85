"""One search request: size bounds, parsing, bounds on the document's shape, validation against the schema,
execution, and the answer's HTTP status and body (runtime facts 2.1, 2.7, 2.8)."""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLString,
    InlineFragmentNode,
    IntValueNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.error import GraphQLSyntaxError
from graphql.validation import NoSchemaIntrospectionCustomRule

from . import execute, flowroots, resolvers
from .errors import SearchRefused
from .schema import schema

MAX_QUERY_CHARS = 65536
MAX_TOKENS = 20000
MAX_DEPTH = 12  # the deepest real query (agentSession ... channelInfo activities nodes idleCode id) has 7 levels
MAX_FIELDS = 1000  # fields after expanding fragments
MAX_ALIASES = 100
MAX_ARGUMENTS = 1000  # facts 2.4: at most 1000 arguments across filter, extFilter and predicates
MAX_VALUES = 300_000  # values a query may answer at most (each field times the lists above it, pages full)
#: How many items a list field holds at most: result pages (raw or aggregation), channels, aggregations.
_LIST_SIZES = {"tasks": 1000, "agentSessions": 1000, "taskLegs": 1000, "channelInfo": 5, "aggregation": 20,
               "flowInteractions": 1000, "flowTraceEvents": 1000, "activityInputs": 20, "activityOutput": 20,
               "modifiedFlowVariables": 20}
# Documents kept parsed and validated, by text: at most 128, of 16 KiB each and 128 KiB in all (a parsed document
# holds 120-400 bytes per character of its text: the cache stays under about 50 MB whatever clients send; the
# documented queries are 300 to 900 characters).
PREPARED, PREPARED_TEXT, PREPARED_CHARS = 128, 16384, 131072
_cache: OrderedDict = OrderedDict()
_cached_chars = [0]
_cache_lock = threading.Lock()
_RULES = [*specified_rules, NoSchemaIntrospectionCustomRule]  # introspection is off live (facts 2.2 [U])


class Shape:
    """Depth, field, alias and value counts of a document, fragments expanded (memoised: a fragment used a
    thousand times is counted, not walked, a thousand times). Values are fields times the items of the lists
    above them (a page, ``activities(first:)``), so a small document that would answer millions is caught."""

    def __init__(self, document):
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.memo: dict[str, tuple[int, int, int, int]] = {}
        self.active: set[str] = set()

    def of(self, selection_set, top: bool = False) -> tuple[int, int, int, int]:
        depth = fields = aliases = values = 0
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                d, f, a, v = self.of(sel.selection_set)
                depth, fields, aliases = max(depth, d + 1), fields + f + 1, aliases + a + (sel.alias is not None)
                values += 1 + (1 if top else _items(sel)) * v  # a root is one object (flowInteractions is both)
            else:
                d, f, a, v = self.of(sel.selection_set) if isinstance(sel, InlineFragmentNode) else \
                    self.fragment(sel.name.value)
                depth, fields, aliases, values = max(depth, d), fields + f, aliases + a, values + v
            if fields > MAX_FIELDS * 10:
                break  # already far over: stop counting
        return depth, fields, aliases, values

    def fragment(self, name: str) -> tuple[int, int, int, int]:
        if name in self.memo:
            return self.memo[name]
        if name in self.active or name not in self.fragments:
            return 0, 0, 0, 0  # a cycle or an unknown fragment: validation names it
        self.active.add(name)
        self.memo[name] = found = self.of(self.fragments[name].selection_set)
        self.active.discard(name)
        return found


def _items(field: FieldNode) -> int:
    """How many items a field's value may hold (1 for an object or a scalar)."""
    name = field.name.value
    if name == "activities":  # first: 25 by default, 100 at most; a variable may be anything up to 100
        first = next((a.value for a in field.arguments or () if a.name.value == "first"), None)
        if first is None:
            return 25
        return min(int(first.value), 100) if isinstance(first, IntValueNode) else 100
    return _LIST_SIZES.get(name, 1)


def _limits(document) -> None:
    shape = Shape(document)
    for op in document.definitions:
        if not isinstance(op, OperationDefinitionNode):
            continue
        depth, fields, aliases, values = shape.of(op.selection_set, top=True)
        if depth > MAX_DEPTH:
            raise SearchRefused(f"The query is nested {depth} levels deep; {MAX_DEPTH} at most.")
        if fields > MAX_FIELDS:
            raise SearchRefused(f"The query selects {fields} fields (fragments expanded); {MAX_FIELDS} at most.",
                                status=413)
        if aliases > MAX_ALIASES:
            raise SearchRefused(f"The query uses {aliases} aliases; {MAX_ALIASES} at most.")
        if values > MAX_VALUES:
            raise SearchRefused(f"The query could answer about {values} values with full pages; {MAX_VALUES} at "
                                f"most: select fewer fields or fewer activities.", status=413)
    arguments = _count_object_fields(document)
    if arguments > MAX_ARGUMENTS:
        raise SearchRefused(f"The query has {arguments} filter arguments; {MAX_ARGUMENTS} at most.")


class _BareWords(Visitor):
    """A bare word where a String goes becomes that string: the vendor takes ``channelType: {equals: telephony}``
    and ``{equals: "telephony"}`` alike, and legacy ``aggr`` fields unquoted (runtime facts 2.4, 2.5)."""

    def __init__(self, type_info: TypeInfo):
        super().__init__()
        self.type_info = type_info

    def enter_enum_value(self, node, *_):
        if get_named_type(self.type_info.get_input_type()) is GraphQLString:
            return StringValueNode(value=node.value, loc=node.loc)
        return None


def bare_words(document):
    """The document with bare words in String positions turned into strings."""
    info = TypeInfo(schema())
    return visit(document, TypeInfoVisitor(info, _BareWords(info)))


def _count_object_fields(document) -> int:
    count, stack = 0, [document]
    while stack:
        node = stack.pop()
        if isinstance(node, ObjectFieldNode):
            count += 1
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, tuple):
                stack.extend(c for c in child if hasattr(c, "keys"))
            elif hasattr(child, "keys") and not isinstance(child, (str, dict)):
                stack.append(child)
    return count


# graphql-core's messages in graphql-java's wording, which the vendor's service answers with (facts 2.8 [U]).
_JAVA = [
    (re.compile(r"Cannot query field '(\w+)' on type '(\w+)'\..*"), "FieldUndefined",
     "Field '{0}' in type '{1}' is undefined"),
    (re.compile(r"Field '(\w+)' argument '(\w+)' of type '.*' is required, but it was not provided\."),
     "MissingFieldArgument", "Missing field argument {1}"),
    (re.compile(r"Argument '\w+\.(\w+)\((\w+):\)' of type '.*' is required, but it was not provided\."),
     "MissingFieldArgument", "Missing field argument {1}"),
    (re.compile(r"Unknown argument '(\w+)' on field '[\w.]+'\..*"), "UnknownArgument", "Unknown field argument {0}"),
    (re.compile(r"Field '(\w+)' of type '(.+)' must have a selection of subfields.*"), "SubSelectionRequired",
     "Sub selection required for type {1} of field {0}"),
    (re.compile(r"Field '(\w+)' must not have a selection since type '(.+)' has no subfields\."),
     "SubSelectionNotAllowed", "Sub selection not allowed on leaf type {1} of field {0}"),
]


def _paths(document) -> dict[int, str]:
    """``id(field node) -> 'task/tasks/queue'`` for every field of every operation and fragment."""
    out: dict[int, str] = {}
    stack = [(d.selection_set, "") for d in document.definitions if hasattr(d, "selection_set")]
    while stack:
        selection_set, prefix = stack.pop()
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                path = f"{prefix}/{sel.name.value}" if prefix else sel.name.value
                out[id(sel)] = path
                stack.append((sel.selection_set, path))
            elif isinstance(sel, InlineFragmentNode):
                stack.append((sel.selection_set, prefix))
    return out


def _java(error: GraphQLError, paths: dict[int, str]) -> dict:
    body = error.formatted
    message, kind = error.message, "ValidationError"
    for pattern, name, template in _JAVA:
        m = pattern.fullmatch(message)
        if m:
            where = next((paths[id(n)] for n in error.nodes or () if id(n) in paths), "")
            message = f"Validation error of type {name}: {template.format(*m.groups())}" + (
                f" @ '{where}'" if where else "")
            break
    else:
        message = f"Validation error of type {kind}: {message}"
    body["message"] = message
    body["extensions"] = {"classification": kind}
    return body


def _refused(status: int, errors: list[dict], tracking: str):
    """An HTTP error whose body is both the vendor's ApiErrorResponse and a GraphQL ``errors`` list."""
    return status, {"trackingId": tracking, "error": {"key": str(status), "reason": errors[0]["message"], "message": [
        {"description": e["message"]} for e in errors]}, "errors": errors, "data": None}


def prepared(query: str):
    """``(document, None)`` ready to execute, or ``(None, (status, errors))`` for a refused one; the last texts
    are kept (``PREPARED``): a wallboard or a report sends the same text again and again with other
    variables, and parsing, the shape bounds and validation were two thirds of a filtered page's time
    (docs/search.md). Nothing here depends on variables, the organisation or the clock."""
    with _cache_lock:
        found = _cache.get(query)
        if found is not None:
            _cache.move_to_end(query)
            return found
    found = _prepare(query)
    if len(query) > PREPARED_TEXT:
        return found
    with _cache_lock:
        if query not in _cache:
            _cache[query] = found
            _cached_chars[0] += len(query)
        while len(_cache) > PREPARED or _cached_chars[0] > PREPARED_CHARS:
            _cached_chars[0] -= len(_cache.popitem(last=False)[0])
    return found


def _prepare(query: str):
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLSyntaxError as exc:
        status = 413 if "tokens" in exc.message else 400
        return None, (status, [{**exc.formatted, "message": f"Invalid Syntax : {exc.message}",
                                "extensions": {"classification": "InvalidSyntax"}}])
    try:
        _limits(document)
    except SearchRefused as exc:
        return None, (exc.status, [exc.formatted])
    document = bare_words(document)
    errors = validate(schema(), document, _RULES, max_errors=20)
    if errors:
        paths = _paths(document)
        return None, (400, [_java(e, paths) for e in errors])
    return document, None


def run(query, variables, ctx: dict, tracking: str, operation_name: str | None = None) -> tuple[int, dict]:
    """``(HTTP status, body)`` of one search request."""
    if not isinstance(query, str) or not query.strip():
        return _refused(400, [{"message": "Body must carry a GraphQL document in 'query'."}], tracking)
    if variables in ("", None):
        variables = None  # the samples send "" (facts 2.1)
    elif not isinstance(variables, dict):
        return _refused(400, [{"message": "'variables' must be an object."}], tracking)
    if len(query) > MAX_QUERY_CHARS:
        return _refused(413, [{"message": f"The query is longer than {MAX_QUERY_CHARS} characters."}], tracking)
    document, refusal = prepared(query)
    if refusal is not None:
        return _refused(refusal[0], refusal[1], tracking)
    try:
        data, errors = execute.run(schema(), document, variables, ctx, operation_name)
    except SearchRefused as exc:
        return _refused(exc.status, [exc.formatted], tracking)
    if errors:
        return 200, {"data": data, "errors": [e.formatted for e in errors]}
    return 200, {"data": data}


def install_resolvers() -> None:
    """Attach the root and field resolvers to the schema (once)."""
    built = schema()
    for name, field in built.query_type.fields.items():
        field.resolve = flowroots.resolve if name in flowroots.ROOTS else resolvers.resolve_root
    for type_name in ("TaskDetails",):
        built.type_map[type_name].fields["activities"].resolve = resolvers.resolve_activities
    built.type_map["AgentSessionChannelInfo"].fields["activities"].resolve = resolvers.resolve_activities
    for type_name in ("Task", "TaskDetails"):
        for kind in ("string", "integer", "long", "double", "boolean"):
            built.type_map[type_name].fields[f"{kind}GlobalVariables"].resolve = resolvers.global_variable(kind)
