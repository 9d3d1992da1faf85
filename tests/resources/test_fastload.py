"""The compiled body loader (``resources/fastload.py``) gives exactly what marshmallow's ``schema.load`` gives,
or hands the body to marshmallow: on every resource's stored and example documents and on mutations of them."""
from __future__ import annotations

import marshmallow as ma
import orjson
import pytest
from marshmallow import fields as mf

from mockserver.resources.fastload import Fallback, compile_schema

from .conftest import SPECS

#: Values put in place of each field of a valid body: wrong types, nulls, edge values marshmallow reads leniently.
ODD_VALUES = (None, "", "x" * 300, 0, 1, -1, 2 ** 31, 2 ** 63, 1.0, 1.5, True, False, [], [None], ["a", 1], [{}],
              {}, {"id": 1}, "AGENT", "2024-01-01")


def _fast_or_none(load, payload):
    try:
        return load(payload), True
    except Fallback:
        return None, False


def _marshmallow(schema, payload):
    try:
        return schema.load(payload), True
    except ma.ValidationError:
        return None, False


def _same(schema, load, payload) -> bool:
    """The loader's result equals marshmallow's, key order included; False when the loader fell back."""
    fast, fast_ok = _fast_or_none(load, payload)
    if not fast_ok:
        return False
    slow, slow_ok = _marshmallow(schema, payload)
    assert slow_ok, f"the loader accepted what marshmallow refuses: {payload!r}"
    assert orjson.dumps(fast) == orjson.dumps(slow), payload  # same values and the same key order
    return True


def _documents(rt, kind):
    """The demo tenant's documents of a kind, and the engine's example body."""
    docs = [d for org in rt.store.orgs() for d in rt.store.list(org, kind)[:20]]
    return [orjson.loads(orjson.dumps(d)) for d in docs]


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_schema_compiles_and_matches_marshmallow(rt, kind):
    engine = rt.resources.engines[kind]
    load = compile_schema(engine.schema)
    assert load is not None, f"{kind}: the schema has something the loader does not model"
    docs = _documents(rt, kind)
    fast_taken = sum(_same(engine.schema, load, doc) for doc in docs)
    # The stored documents are valid bodies: the loader must read them itself, not leave them to marshmallow.
    assert fast_taken == len(docs), f"{kind}: {len(docs) - fast_taken} stored documents fell back"
    for doc in docs[:3]:
        for name in list(doc):
            for value in ODD_VALUES:
                _same(engine.schema, load, {**doc, name: value})
            _same(engine.schema, load, {k: v for k, v in doc.items() if k != name})
        _same(engine.schema, load, {**doc, "notAField": 1})


def test_types_marshmallow_reads_leniently_fall_back():
    class S(ma.Schema):
        class Meta:
            unknown = ma.EXCLUDE
        flag = mf.Boolean(truthy={True}, falsy={False})
        count = mf.Integer(strict=True)
        name = mf.String(required=True, validate=ma.validate.Length(max=3))

    schema, load = S(), compile_schema(S())
    assert load({"name": "abc", "flag": True, "count": 2, "x": 1}) == {"flag": True, "count": 2, "name": "abc"}
    assert list(load({"count": 2, "name": "a", "flag": False})) == ["flag", "count", "name"]  # the schema's order
    for body in ({"name": "abc", "flag": 1}, {"name": "abcd"}, {"flag": True}, {"name": "a", "count": True},
                 {"name": "a", "count": 1.0}, {"name": None}, ["name"]):
        with pytest.raises(Fallback):
            load(body)
    assert schema.load({"name": "abc", "flag": 1}) == {"name": "abc", "flag": True}  # why: marshmallow's reading


def test_a_field_with_a_load_default_or_hooks_is_marshmallows():
    class WithDefault(ma.Schema):
        class Meta:
            unknown = ma.EXCLUDE
        n = mf.Integer(load_default=7)
        tags = mf.List(mf.String(), load_default=list)

    load = compile_schema(WithDefault())
    assert load({}) == WithDefault().load({}) == {"n": 7, "tags": []}

    class WithHook(ma.Schema):
        n = mf.Integer()

        @ma.post_load
        def double(self, data, **kw):
            return {"n": data["n"] * 2}

    assert compile_schema(WithHook()) is None
