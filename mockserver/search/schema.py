"""The GraphQL schema of the Search API, generated from the field tables (``fields.py``) as SDL and built by
graphql-core: record types, their filter inputs (``and``/``or``/``not`` trees, per-type operators, the nested
object forms of runtime facts 2.4), aggregation inputs (2.5), pagination (2.6) and the root fields (2.2, 2.3)."""
from __future__ import annotations

import functools

from graphql import GraphQLScalarType, build_schema
from graphql.language import IntValueNode, StringValueNode

from . import fields as F

_FILTER_OF = {"String": "StringFilter", "Long": "LongFilter", "Int": "LongFilter", "Float": "FloatFilter",
              "Boolean": "BooleanFilter"}

_BASE = '''
"Epoch milliseconds. Also accepted as a quoted string of digits, as some clients send it (runtime facts 2.1)."
scalar Long
enum SortOrder { asc desc }
enum QueryTimeType { createdTime endedTime }
enum AggregationType { count sum average min max cardinality }
enum IntervalType { FIFTEEN_MINUTES THIRTY_MINUTES HOURLY DAILY WEEKLY MONTHLY }
input IntervalData { interval: IntervalType!, timezone: String }
input Pagination { cursor: String }
type PageInfo { hasNextPage: Boolean, endCursor: String }
"The flow roots page by number (runtime facts 2.6 [U]): pages of pageSize, the first is 1."
input FlowPagination { pageSize: Int, currentPage: Int }
type FlowPageInfo { hasNextPage: Boolean, totalPages: Int, totalHits: Int }
type IntervalInfo { interval: String, timezone: String }
type Aggregation { name: String, value: Float }
input StringFilter { equals: String, notequals: String, match: String, contains: String, in: [String], notin: [String] }
input LongFilter { equals: Long, notequals: Long, gt: Long, gte: Long, lt: Long, lte: Long, in: [Long], notin: [Long] }
input FloatFilter { equals: Float, notequals: Float, gt: Float, gte: Float, lt: Float, lte: Float }
input BooleanFilter { equals: Boolean, notequals: Boolean }
'''


def _cap(name: str) -> str:
    return name[0].upper() + name[1:]


class _Sdl:
    """Accumulates type definitions; each generated name once."""

    def __init__(self):
        self.parts, self.names = [_BASE], set()

    def add(self, name: str, text: str) -> str:
        if name not in self.names:
            self.names.add(name)
            self.parts.append(text)
        return name

    def output(self, name: str, table: dict, sortable: bool, extra: str = "") -> str:
        """An object type for a record (or a nested object) of ``table``."""
        if name in self.names:
            return name
        lines = []
        for field, kind in table.items():
            if isinstance(kind, str):
                lines.append(f"{field}{'(sort: SortOrder)' if sortable else ''}: {kind}")
            elif isinstance(kind, list):
                lines.append(f"{field}: [{self.output(name + _cap(field), kind[0], False, self._activities(field))}]")
            else:
                lines.append(f"{field}: {self.output(name + _cap(field), kind, False)}")
        return self.add(name, f"type {name} {{ {' '.join(lines)} {extra} }}")

    def _activities(self, field: str) -> str:
        if field != "channelInfo":
            return ""
        node = self.output("AgentActivity", F.AGENT_ACTIVITY, False)
        return f"activities(first: Int, after: String): {self._connection('AgentActivityConnection', node)}"

    def _connection(self, name: str, node: str) -> str:
        return self.add(name, f"type {name} {{ totalCount: Int, nodes: [{node}], pageInfo: PageInfo }}")

    def filters(self, name: str, table: dict, exclude=(), compound: bool = True, value: str | None = None,
                extra: str = "") -> str:
        """The filter input of a table: one operator input per field, objects nested, and/or/not trees."""
        if name in self.names:
            return name
        self.names.add(name)
        lines = [f"and: [{name}]", f"or: [{name}]", f"not: {name}"] if compound else []
        if value:  # the older object form: ``owner: { equals: { id: "..." } }`` (facts 2.4)
            lines += [f"equals: {value}", f"notequals: {value}"]
        for field, kind in table.items():
            if field in exclude:
                continue
            prefix = name.removesuffix("Filters").removesuffix("Filter") + _cap(field)
            if isinstance(kind, str):
                lines.append(f"{field}: {_FILTER_OF[kind]}")
            elif isinstance(kind, list):  # a list matches when any element does
                lines.append(f"{field}: {self.filters(prefix + 'Filter', kind[0], compound=False)}")
            else:
                flat = any(isinstance(k, str) for k in kind.values())
                sub_value = self._value(prefix + "Value", kind) if flat else None
                lines.append(f"{field}: {self.filters(prefix + 'Filter', kind, compound=False, value=sub_value)}")
        self.parts.append(f"input {name} {{ {' '.join(lines)} {extra} }}")
        return name

    def _value(self, name: str, table: dict) -> str:
        lines = [f"{f}: {k}" for f, k in table.items() if isinstance(k, str)]
        return self.add(name, f"input {name} {{ {' '.join(lines)} }}")

    def globals(self, type_name: str) -> str:
        out = []
        for kind, scalar in F.GLOBAL_VARIABLES.items():
            gv = self.add(f"{_cap(kind)}GlobalVariable",
                          f"type {_cap(kind)}GlobalVariable {{ name: String, value: {scalar} }}")
            out.append(f"{kind}GlobalVariables(name: String!): {gv}")
        return " ".join(out)

    def global_filters(self) -> str:
        out = []
        for kind, scalar in F.GLOBAL_VARIABLES.items():
            name = self.add(f"{_cap(kind)}GlobalVariableFilter",
                            f"input {_cap(kind)}GlobalVariableFilter {{ name: StringFilter, "
                            f"value: {_FILTER_OF[scalar]} }}")
            out.append(f"{kind}GlobalVariables: {name}")
        return " ".join(out)

    def text(self) -> str:
        return "\n".join(self.parts)


def _root(sdl: _Sdl, root: str, record: str, table: dict, list_name: str, *, sortable=True, activities=False,
          ext=None, legacy=False, time_comparator=True, exclude=("createdTime",), flow=False) -> str:
    """One root field with its record type, filters, aggregation input and result list type (``flow``: the
    flow roots' numbered pages)."""
    extra = "aggregation: [Aggregation] intervalStartTime(sort: SortOrder): Long"
    if table is F.TASK:
        extra += " " + sdl.globals(record)
    if activities:
        node = sdl.output("Activity", F.ACTIVITY, False)
        extra += f" activities(first: Int, after: String): {sdl._connection('ActivityConnection', node)}"
    sdl.output(record, table, sortable, extra)
    filters = sdl.filters(f"{record}Filters", table, exclude,
                          extra=sdl.global_filters() if table is F.TASK else "")
    agg = sdl.add(f"{record}V2Aggregation", f"input {record}V2Aggregation {{ field: String!, type: AggregationType!, "
                                            f"name: String, filter: {filters}"
                                            f"{', extFilter: ' + ext if ext else ''}"
                                            f" }}")
    args = ["from: Long!", "to: Long!", f"filter: {filters}", f"aggregations: [{agg}]",
            "aggregationInterval: IntervalData", f"pagination: {'FlowPagination' if flow else 'Pagination'}"]
    if time_comparator:
        args.append("timeComparator: QueryTimeType")
    if ext:
        args.append(f"extFilter: {ext}")
    result_extra = ""
    if legacy:
        aggr = sdl.add(f"{record}Aggr", f"input {record}Aggr {{ field: String!, type: AggregationType!, name: String, "
                                        f"filter: {filters} }}")
        legacy_name = sdl.add(f"{record}AggregationFilters", f"input {record}AggregationFilters {{ aggr: [{aggr}] }}")
        args += [f"aggregation: {legacy_name}", "first: Int"]
        result_extra = "intervalInfo: IntervalInfo"
    result = sdl.add(f"{record}List", f"type {record}List {{ {list_name}: [{record}], "
                                      f"pageInfo: {'FlowPageInfo' if flow else 'PageInfo'} "
                                      f"{result_extra} }}")
    return f"{root}({', '.join(args)}): {result}"


def sdl_text() -> str:
    """The whole schema as SDL."""
    sdl = _Sdl()
    car = sdl.filters("ActivityFilters", F.ACTIVITY)
    task_ext = sdl.add("TaskDetailsSpecificFilters", f"input TaskDetailsActivityNodes {{ nodes: {car} }}\n"
                                                     "input TaskDetailsSpecificFilters "
                                                     "{ activities: TaskDetailsActivityNodes }")
    aar = sdl.filters("AgentActivityFilters", F.AGENT_ACTIVITY)
    session_ext = sdl.add("AgentSessionSpecificFilters", f"input AgentSessionActivityNodes {{ nodes: {aar} }}\n"
                                                         f"input AgentSessionChannelActivities {{ activities: "
                                                         "AgentSessionActivityNodes }\n"
                                                         "input AgentSessionSpecificFilters "
                                                         f"{{ channelInfo: AgentSessionChannelActivities }}")
    roots = [
        _root(sdl, "task", "Task", F.TASK, "tasks", legacy=True),
        _root(sdl, "taskDetails", "TaskDetails", F.TASK, "tasks", activities=True, ext=task_ext, legacy=True),
        _root(sdl, "agentSession", "AgentSession", F.SESSION, "agentSessions", sortable=False, ext=session_ext,
              time_comparator=False, exclude=()),
        _root(sdl, "taskLegDetails", "TaskLegDetails", F.LEG, "taskLegs"),
        # facts 2.3 [U]: from, to, filter and numbered pages; aggregations as on the other roots (the mock's)
        _root(sdl, "flowInteractions", "FlowInteraction", F.FLOW_INTERACTION, "flowInteractions",
              time_comparator=False, exclude=(), flow=True),
        _root(sdl, "flowTraceEvents", "FlowTraceEvent", F.FLOW_TRACE_EVENT, "flowTraceEvents",
              time_comparator=False, exclude=(), flow=True),
    ]
    sdl.parts.append("type Query { " + " ".join(roots) + " }")
    return sdl.text()


def _long(value):
    if isinstance(value, bool):
        raise TypeError("Long cannot represent a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) <= 19:
        return int(value)
    raise TypeError(f"Long cannot represent {value!r}")


def _long_literal(node, _variables=None):
    if isinstance(node, (IntValueNode, StringValueNode)):
        return _long(node.value)
    raise TypeError("Long expects an integer")


@functools.lru_cache(maxsize=1)
def schema():
    """The built schema (once per process; it holds no state)."""
    built = build_schema(sdl_text())
    long_type = built.type_map["Long"]
    assert isinstance(long_type, GraphQLScalarType)
    long_type.serialize, long_type.parse_value, long_type.parse_literal = _long, _long, _long_literal
    return built
