"""The resources' marshmallow schemas read once into a plan that loads a valid body in a fraction of the time.

``Schema.load`` costs about 50 µs for a team body (a field object, a getter closure, an error store and a
``deserialize`` call per field); a write spends more time there than anywhere else. ``compile_schema`` walks a
schema's fields once and returns a loader that gives **exactly** what ``schema.load`` gives for a body it
fully understands (same values, same key order: the schema's field order) and raises ``Fallback`` for
anything else: a wrong type, a missing required field, a failed validator, a field class or option it does
not know. The engine then calls ``schema.load``, so every error message, and every lenient reading marshmallow
has (a ``1`` taken as ``true`` by a ``Boolean``), stays marshmallow's own. Field classes it does not read
itself are deserialised by the field (``field.deserialize``): exact too, only not faster.
``tests/resources/test_fastload.py`` compares the two on every resource's stored and example documents and on
mutations of them.
"""
from __future__ import annotations

from typing import Callable

import marshmallow as ma
from marshmallow import fields as mf

MISSING = ma.missing


class Fallback(Exception):
    """The plan cannot vouch for this body: let marshmallow load it (and name what is wrong)."""


def _fail(*_):
    raise Fallback


def _plain(field) -> bool:
    """No per-field hooks, no load default: ``deserialize`` is missing-check, None-check, convert, validate."""
    return (not getattr(field, "pre_load", None) and not getattr(field, "post_load", None)
            and field.load_default is MISSING)


def _string(value):
    if type(value) is not str:  # bytes never come out of a JSON parser
        raise Fallback
    return value


def _integer(value):
    if type(value) is not int:  # bools, floats, strings: marshmallow decides (and may refuse or convert)
        raise Fallback
    return value


def _boolean(field) -> Callable:
    if not field.truthy:
        return _fail
    true_ok, false_ok = True in field.truthy, False in field.falsy

    def convert(value):
        if value is True and true_ok:
            return True
        if value is False and false_ok:
            return False
        raise Fallback
    return convert


def _generic(field, name: str) -> Callable:
    """The field's own ``deserialize``: exact for one field; its error makes the whole body fall back."""
    def convert(value, payload=None):
        try:
            return field.deserialize(value, name, payload)
        except ma.ValidationError:
            raise Fallback from None
    return convert


def _converter(field, name: str, seen: dict) -> tuple[Callable, bool]:
    """``(convert(value) -> output, takes_payload)`` for one field's non-null value."""
    cls = type(field)
    if not _plain(field):
        return _generic(field, name), True
    if cls is mf.String:
        return _string, False
    if cls is mf.Integer and not field.as_string:
        return _integer, False
    if cls is mf.Boolean:
        return _boolean(field), False
    if cls is mf.Raw:
        return (lambda value: value), False
    if cls is mf.Dict and field.key_field is None and field.value_field is None and field.mapping_type is dict:
        def mapping(value):
            if type(value) is not dict:
                raise Fallback
            return dict(value)
        return mapping, False
    if cls is mf.List and _plain(field.inner) and type(field.inner) in (mf.String, mf.Integer, mf.Nested):
        item = _item(field.inner, name, seen)
        if item is not None:
            def items(value):
                if type(value) is not list:
                    raise Fallback
                return [item(v) for v in value]
            return items, False
    if cls is mf.Nested and field.unknown in (None, ma.EXCLUDE) and not field.only and not field.exclude:
        nested = _nested(field.schema, seen)
        if nested is not None:
            if field.schema.many or field.many:
                def many(value):
                    if type(value) is not list:
                        raise Fallback
                    return [nested(v) for v in value]
                return many, False
            return nested, False
    return _generic(field, name), True


def _item(inner, name: str, seen: dict):
    """The converter of one list element (the inner field: not null unless it allows null, then validated)."""
    convert, takes_payload = _converter(inner, name, seen)
    if takes_payload:
        return None
    allow_none, validators = inner.allow_none, bool(inner.validators)

    def item(value):
        if value is None:
            if allow_none:
                return None
            raise Fallback
        out = convert(value)
        if validators:
            _validate(inner, out)
        return out
    return item


def _validate(field, value) -> None:
    try:
        field._validate(value)  # the field's own loop over its validators (marshmallow's rule for False)
    except ma.ValidationError:
        raise Fallback from None


def _nested(schema, seen: dict):
    """The loader of one object of a nested schema (its ``many`` is the field's business)."""
    key = id(schema)  # the field keeps its schema instance: the id stays its own while compiling
    if key not in seen:
        seen[key] = None  # a schema nested in itself loads through marshmallow
        seen[key] = _compile(schema, seen, nested=True)
    return seen[key]


def compile_schema(schema) -> Callable[[dict], dict] | None:
    """A loader with ``schema.load``'s result for the bodies it understands (``Fallback`` otherwise), or None
    when the schema has anything the plan does not model (hooks, another ``unknown`` policy)."""
    return _compile(schema, {})


def _compile(schema, seen: dict, nested: bool = False):
    if (any(schema._hooks.values()) or schema.opts.unknown != ma.EXCLUDE or (schema.many and not nested)
            or schema.dict_class is not dict):
        return None
    plan = []
    for attr, field in schema.load_fields.items():
        out_key = field.attribute or attr
        in_key = field.data_key if field.data_key is not None else attr
        if "." in out_key:  # marshmallow writes dotted attributes into nested dicts
            return None
        if not _plain(field):
            convert, takes_payload = _generic(field, in_key), True
        else:
            convert, takes_payload = _converter(field, in_key, seen)
        plan.append((in_key, out_key, field.required, field.allow_none, field if field.validators else None,
                     convert, takes_payload))

    def load(payload):
        if type(payload) is not dict:
            raise Fallback
        out = {}
        for in_key, out_key, required, allow_none, validated, convert, takes_payload in plan:
            value = payload.get(in_key, MISSING)
            if takes_payload:  # the field's own deserialize: missing, null, conversion and validators included
                value = convert(value, payload)
                if value is not MISSING:
                    out[out_key] = value
                continue
            if value is MISSING:
                if required:
                    raise Fallback
                continue
            if value is None:
                if not allow_none:
                    raise Fallback
                out[out_key] = None
                continue
            value = convert(value)
            if validated is not None:
                _validate(validated, value)
            out[out_key] = value
        return out
    return load
