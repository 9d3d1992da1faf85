"""Aggregation queries (runtime facts 2.5): group by the scalar fields selected next to ``aggregation``, in
``aggregationInterval`` buckets of a time zone, with count, sum, average, min, max and cardinality per group."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import fields as F
from .errors import SearchRefused
from .filters import compile_filter, variables

MINUTES = {"FIFTEEN_MINUTES": 15, "THIRTY_MINUTES": 30, "HOURLY": 60}
DAY_MS = 86_400_000
#: Intervals allowed by the span of the window (facts 2.5).
ALLOWED = [(DAY_MS, ("FIFTEEN_MINUTES", "THIRTY_MINUTES", "HOURLY", "DAILY", "WEEKLY", "MONTHLY")),
           (7 * DAY_MS, ("THIRTY_MINUTES", "HOURLY", "DAILY", "WEEKLY", "MONTHLY")),
           (None, ("DAILY", "WEEKLY", "MONTHLY"))]
MAX_GROUP_FIELDS = 10


def zone(name: str | None):
    """The time zone of an interval (UTC by default); 400 for an unknown name."""
    if not name or name.upper() == "UTC":
        return dt.timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SearchRefused(f"aggregationInterval: unknown timezone {name!r}.") from None


def check_interval(interval: str, span_ms: int) -> None:
    """400 when the interval is not allowed for a window that long."""
    for limit, allowed in ALLOWED:
        if limit is None or span_ms <= limit:
            if interval not in allowed:
                raise SearchRefused(f"aggregationInterval: {interval} is not allowed for a window of "
                                    f"{span_ms / DAY_MS:.2f} days; use one of {', '.join(allowed)}.")
            return


def bucketer(interval: str, tz):
    """A function from epoch ms to the start of its bucket (epoch ms, in the zone's local time)."""
    if interval in MINUTES:
        step = MINUTES[interval]
        if tz is dt.timezone.utc:
            return lambda t: t - t % (step * 60_000)

        def local_minutes(t):
            local = dt.datetime.fromtimestamp(t / 1000, tz)
            return t - ((local.minute % step) * 60 + local.second) * 1000 - local.microsecond // 1000
        return local_minutes
    cache: dict = {}

    def calendar(t):
        day = dt.datetime.fromtimestamp(t / 1000, tz).date()
        if interval == "WEEKLY":  # weeks start on Monday (ISO 8601) [U]: the facts do not say
            day -= dt.timedelta(days=day.weekday())
        elif interval == "MONTHLY":
            day = day.replace(day=1)
        start = cache.get(day)
        if start is None:
            start = cache[day] = int(dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)
        return start
    return calendar


def values(record: dict, path: str) -> list:
    """Every value at a dotted path (through lists, such as ``channelInfo.idleDuration``)."""
    head, _, rest = path.partition(".")
    if head.endswith("GlobalVariables"):  # ``integerGlobalVariables.value``: all variables of that kind
        pairs = variables(record, head.removesuffix("GlobalVariables"))
        return [v if rest == "value" else n for n, v in pairs]
    nodes = [record]
    for part in path.split("."):
        nxt = []
        for node in nodes:
            value = node.get(part) if isinstance(node, dict) else None
            if isinstance(value, list):
                nxt.extend(value)
            elif value is not None:
                nxt.append(value)
        nodes = nxt
    return nodes


def first(record: dict, path: str):
    """The value at a dotted path of objects (group keys), or None."""
    node = record
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return None if isinstance(node, (dict, list)) else node


def getter(path: str):
    """A fast ``first`` for one path (compiled once per query: it runs once per record and path)."""
    parts = path.split(".")
    if len(parts) == 1:
        name = parts[0]

        def one(r):
            v = r.get(name)
            return None if isinstance(v, (dict, list)) else v
        return one
    if len(parts) == 2:
        outer, inner = parts

        def two(r):
            o = r.get(outer)
            v = o.get(inner) if isinstance(o, dict) else None
            return None if isinstance(v, (dict, list)) else v
        return two
    return lambda r: first(r, path)


def _through_list(table: dict, path: str) -> bool:
    node = table
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, list):
            return True
    return "GlobalVariables" in path


class Aggregation:
    """One requested aggregation: field path, type, name and its own sub-filter."""

    def __init__(self, spec: dict, table: dict, default_name: str):
        self.field, self.type = spec["field"], spec["type"]
        self.name = spec.get("name") or default_name
        kind = F.leaf_type(table, self.field) if "GlobalVariables" not in self.field else "Float"
        if kind is None and self.field.split(".")[0] not in table:
            raise SearchRefused(f"aggregations: unknown field {self.field!r}.")
        if self.type in ("sum", "average", "min", "max") and kind not in F.NUMERIC:
            raise SearchRefused(f"aggregations: {self.type} needs a numeric field; {self.field!r} is "
                                f"{kind or 'an object'}.")
        self.only_spec = spec.get("filter") or None
        self.only = compile_filter(spec.get("filter"), table) if spec.get("filter") else None
        self.many = _through_list(table, self.field)
        self.get = getter(self.field)

    def start(self):
        return set() if self.type == "cardinality" else [0, 0.0, None, None]  # count, sum, min, max

    def add(self, acc, record: dict) -> None:
        if self.only is not None and not self.only(record):
            return
        if not self.many:  # one value per record: the usual case, kept cheap
            v = self.get(record)
            if v is None:
                return
            if self.type == "cardinality":
                acc.add(v)
                return
            acc[0] += 1
            if v.__class__ is int or v.__class__ is float:
                acc[1] += v
                if acc[2] is None or v < acc[2]:
                    acc[2] = v
                if acc[3] is None or v > acc[3]:
                    acc[3] = v
            return
        found = values(record, self.field)
        if self.type == "cardinality":
            acc.update(v for v in found if isinstance(v, (str, int, float, bool)))
            return
        for v in found:
            acc[0] += 1
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                acc[1] += v
                acc[2] = v if acc[2] is None or v < acc[2] else acc[2]
                acc[3] = v if acc[3] is None or v > acc[3] else acc[3]

    def result(self, acc) -> float:
        """The value as the vendor sends it: a float, 0.0 where there was nothing (facts 2.10, Q3)."""
        if self.type == "cardinality":
            return float(len(acc) if isinstance(acc, set) else acc[0])
        count, total, low, high = acc
        return float({"count": count, "sum": total, "average": total / count if count else 0.0,
                      "min": low or 0.0, "max": high or 0.0}[self.type])


def prepare(table: dict, group_paths: list[str], aggregations: list[dict]) -> list[Aggregation]:
    """The aggregations of a query, checked (400 for an unknown field, a numeric type on a non-number...)."""
    if len(group_paths) > MAX_GROUP_FIELDS:
        raise SearchRefused(f"An aggregation query may group by {MAX_GROUP_FIELDS} fields at most "
                            f"(it selects {len(group_paths)}).")
    return [Aggregation(spec, table, f"{spec['type']}_{spec['field']}") for spec in aggregations]


def accumulate(records, group_paths: list[str], aggs: list[Aggregation], bucket, time_field: str) -> dict:
    """``{group key: [accumulator per aggregation]}`` over records in Python."""
    groups: dict[tuple, list] = {}
    getters = [getter(p) for p in group_paths]
    for r in records:
        key = tuple([g(r) for g in getters])
        if bucket is not None:
            t = r.get(time_field)
            key += (bucket(t) if t.__class__ is int else None,)
        accs = groups.get(key)
        if accs is None:
            accs = groups[key] = [a.start() for a in aggs]
        for a, acc in zip(aggs, accs):
            a.add(acc, r)
    return groups


def rows(groups: dict, group_paths: list[str], aggs: list[Aggregation], bucketed: bool) -> list:
    """Rows ``{<group fields nested>, intervalStartTime?, aggregation: [{name, value}]}``, sorted by group key."""
    out = []
    for key in sorted(groups, key=_sort_key):
        row: dict = {}
        for path, value in zip(group_paths, key):
            node = row
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        if bucketed:
            row["intervalStartTime"] = key[-1]
        row["aggregation"] = [{"name": a.name, "value": a.result(acc)} for a, acc in zip(aggs, groups[key])]
        row["_cursor"] = "::".join(f"{p}={v}" for p, v in zip(group_paths + ["intervalStartTime"], key))
        out.append(row)
    return out


def run(records, table: dict, group_paths: list[str], aggregations: list[dict], bucket, time_field: str) -> list:
    """Aggregation rows over records, all in Python."""
    aggs = prepare(table, group_paths, aggregations)
    return rows(accumulate(records, group_paths, aggs, bucket, time_field), group_paths, aggs, bucket is not None)


def _sort_key(key: tuple):
    # the interval first (buckets in time order), then the groups; a null group sorts first (facts 2.10, Q3)
    ordered = key[-1:] + key[:-1] if key else key
    return tuple((0, "") if v is None else (1, v) if isinstance(v, (int, float)) else (2, str(v)) for v in ordered)
