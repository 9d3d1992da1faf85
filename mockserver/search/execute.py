"""Execution of a validated search document: root fields through the resolvers, then the records projected
onto the selection by a plain walk (graphql-core's own collection of fields, directives and argument values;
its general executor spends most of a page's time on the generality records do not need)."""
from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLError, GraphQLList, GraphQLNonNull, GraphQLObjectType, OperationDefinitionNode, located_error
from graphql.execution.collect_fields import collect_fields, collect_sub_fields
from graphql.execution.values import get_argument_values, get_variable_values

from .errors import SearchRefused


@dataclass
class Info:
    """What the resolvers read of graphql-core's ``GraphQLResolveInfo``."""

    field_name: str
    field_nodes: list
    parent_type: GraphQLObjectType
    fragments: dict
    context: dict
    variable_values: dict


class _Run:
    def __init__(self, schema, document, variables, context):
        self.schema, self.context, self.errors = schema, context, []
        self.fragments = {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")}
        self.variables = variables
        self._sub: dict = {}

    def sub_fields(self, type_, nodes) -> dict:
        key = (type_.name, tuple(id(n) for n in nodes))
        found = self._sub.get(key)
        if found is None:
            found = self._sub[key] = collect_sub_fields(self.schema, self.fragments, self.variables, type_, nodes)
        return found

    def complete(self, type_, nodes, value, path):
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if value is None:
            return None
        if isinstance(type_, GraphQLList):
            return [self.complete(type_.of_type, nodes, v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(type_, GraphQLObjectType):
            return self.object(type_, nodes, value, path)
        try:
            return type_.serialize(value)
        except Exception as exc:  # a record value of the wrong type: null and an error, as GraphQL does
            self.errors.append(located_error(exc, nodes, list(path)))
            return None

    def object(self, type_, nodes, source, path):
        out = {}
        for key, field_nodes in self.sub_fields(type_, nodes).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                out[key] = type_.name
                continue
            field = type_.fields[name]
            if field.resolve is None:
                value = source.get(name) if isinstance(source, dict) else None
            else:
                args = get_argument_values(field, field_nodes[0], self.variables)
                info = Info(name, field_nodes, type_, self.fragments, self.context, self.variables)
                value = field.resolve(source, info, **args)
            out[key] = self.complete(field.type, field_nodes, value, (*path, key))
        return out


def run(schema, document, variables: dict | None, context: dict, operation_name: str | None = None):
    """``(data, errors)``; raises ``SearchRefused`` for a refusal that makes the answer an HTTP error."""
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    op = next((o for o in ops if o.name and o.name.value == operation_name), None) if operation_name else \
        (ops[0] if len(ops) == 1 else None)
    if op is None:
        raise SearchRefused("Unknown operation named '%s'." % operation_name if operation_name else
                            "Must provide operation name if query contains multiple operations.")
    if op.operation.value != "query":
        raise SearchRefused(f"The Search API answers queries only, not {op.operation.value}s.")
    coerced = get_variable_values(schema, op.variable_definitions or (), variables or {}, max_errors=20)
    if isinstance(coerced, list):
        raise SearchRefused("; ".join(e.message for e in coerced))
    state = _Run(schema, document, coerced, context)
    data = {}
    query_type = schema.query_type
    for key, nodes in collect_fields(schema, state.fragments, coerced, query_type, op.selection_set).items():
        name = nodes[0].name.value
        if name == "__typename":
            data[key] = query_type.name
            continue
        field = query_type.fields[name]
        try:
            args = get_argument_values(field, nodes[0], coerced)
            value = field.resolve(None, Info(name, nodes, query_type, state.fragments, context, coerced), **args)
        except SearchRefused:
            raise
        except GraphQLError as exc:
            state.errors.append(located_error(exc, nodes, [key]))
            data[key] = None
            continue
        data[key] = state.complete(field.type, nodes, value, (key,))
    return data, state.errors
