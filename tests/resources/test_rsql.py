"""RSQL filters: what parses, what matches, and what is refused with a 400 naming the problem."""
from __future__ import annotations

import pytest

from mockserver.resources import rsql

DOCS = [
    {"id": "a1", "name": "Sales East", "active": True, "capacity": 5, "userIds": ["u1", "u2"]},
    {"id": "b2", "name": "Sales West", "active": False, "capacity": 10},
    {"id": "c3", "name": "Support, Tier 1", "active": True, "userIds": ["u3"]},
]


def ids(text: str) -> list[str]:
    node = rsql.parse(text)
    return [d["id"] for d in DOCS if node.matches(d)]


@pytest.mark.parametrize("text,expected", [
    ("id==a1", ["a1"]),
    ('id=="a1"', ["a1"]),
    ("id=='a1'", ["a1"]),
    ("ID==a1", []),  # field names are exact
    ("name==sales*", ["a1", "b2"]),  # values compare case-insensitively; * is a wildcard
    ("name==*west", ["b2"]),
    ("name==*e*t*", ["a1", "b2"]),
    ('name=="Support, Tier 1"', ["c3"]),
    (r'name=="Support\, Tier 1"', ["c3"]),
    ("name!=sales*", ["c3"]),
    ("id=in=(a1,c3)", ["a1", "c3"]),
    ('id=in=("a1", "b2")'.replace(" ", ""), ["a1", "b2"]),
    ("id=out=(a1,c3)", ["b2"]),
    ("active==true", ["a1", "c3"]),
    ("active==false;capacity==10", ["b2"]),
    ("capacity==5,capacity==10", ["a1", "b2"]),
    ("active==true;(id==a1,id==b2)", ["a1"]),
    ("(active==true;id==a1),id==b2", ["a1", "b2"]),
    ("((((id==c3))))", ["c3"]),
    ("userIds==u2", ["a1"]),  # list fields match on any element
    ("userIds!=u2", ["b2", "c3"]),  # a missing field satisfies != and =out=
    ("capacity=out=(5)", ["b2", "c3"]),
    ("description==x", []),
])
def test_valid_filters_match(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize("text,problem", [
    ("", "must not be empty"),
    ("   ", "must not be empty"),
    ("id", "expected an operator"),
    ("id=gt=5", "unsupported operator '=gt='"),
    ("id>5", "unsupported operator '>'"),
    ("id==", "expected a value"),
    ("==a1", "expected a field name"),
    ("id==a1;", "expected a field name"),
    ("id==a1,,id==b2", "expected a field name"),
    ("(id==a1", "missing ')'"),
    ("id==a1)", "unexpected ')'"),
    ("id=in=a1", "expected '('"),
    ("id=in=(a1", "missing ')' after the value list"),
    ('id=="a1', "unterminated quoted value"),
    ("id==a1 id==b2", "unexpected ' '"),
])
def test_malformed_filters_are_400(text, problem):
    with pytest.raises(rsql.FilterError) as err:
        rsql.parse(text)
    assert err.value.status == 400
    assert err.value.reason.startswith("filter: ") and problem in err.value.reason


def test_enormous_or_pathological_filters_are_bounded():
    cases = {
        "x" * (rsql.MAX_LENGTH + 1): "longer than",
        "(" * 3000 + "id==a1" + ")" * 3000: "longer than",
        "(" * (rsql.MAX_DEPTH + 1) + "id==a1" + ")" * (rsql.MAX_DEPTH + 1): "nested deeper",
        ";".join(["id==a1"] * (rsql.MAX_TERMS + 1)): "more than",
        "id=in=(" + ",".join(["a"] * (rsql.MAX_VALUES + 1)) + ")": "more than",
    }
    for text, problem in cases.items():
        with pytest.raises(rsql.FilterError) as err:
            rsql.parse(text)
        assert problem in err.value.reason


def test_wildcards_do_not_become_regular_expressions():
    node = rsql.parse('name=="Sales.E(st*"')
    assert not node.matches({"name": "SalesXE(stern"}) and node.matches({"name": "Sales.E(stern"})


def test_single_equality_and_fields_helpers():
    assert rsql.single_equality(rsql.parse("name==Sales")) == ("name", "Sales")
    assert rsql.single_equality(rsql.parse("name==Sal*")) is None
    assert rsql.single_equality(rsql.parse("name==a;id==b")) is None
    assert rsql.fields(rsql.parse("a==1;(b==2,c=in=(3))")) == ["a", "b", "c"]
    renamed = rsql.rename(rsql.parse("userId==u1;name==x"), {"userId": "userIds"})
    assert rsql.fields(renamed) == ["userIds", "name"] and renamed.matches({"userIds": ["u1"], "name": "X"})
