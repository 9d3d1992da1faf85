"""The root fields over the history: window rules (runtime facts 2.7), raw pages with sorting, aggregation
pages (2.5, 2.6), task legs derived from tasks, and the field resolvers of activities and global variables."""
from __future__ import annotations

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

from . import aggregate, sql
from . import fields as F
from .errors import SearchRefused
from .filters import activity_filter, compile_filter, variables

DAY_MS = 86_400_000
MAX_SPAN = 365 * DAY_MS  # the spec's figure (facts 2.7: the guide says 13 months; the spec wins here)
MAX_AGE = 36 * 30 * DAY_MS + 18 * DAY_MS  # 36 months, as 3 years of 365.25 days
MAX_ACTIVITY_SPAN = 30 * DAY_MS
ENDED_LOOKBACK = 31 * DAY_MS  # timeComparator: endedTime looks at contacts created up to this long before `from`
EXT_SCAN = 2500  # facts 2.7: an extFilter page not filled from this many candidates is a 413
#: root -> (list field, table, time field, raw page size, raw overall cap)
ROOTS = {
    "task": ("tasks", F.TASK, "createdTime", 250, 100_000),
    "taskDetails": ("tasks", F.TASK, "createdTime", 250, 100_000),
    "agentSession": ("agentSessions", F.SESSION, "startTime", 250, None),
    "taskLegDetails": ("taskLegs", F.LEG, "createdTime", 500, 100_000),
}
AGGREGATION_PAGE = 1000


def selected(nodes, fragments):
    """The fields of selection sets, fragments and inline fragments flattened, in order."""
    stack = [sel for node in nodes if node.selection_set for sel in reversed(node.selection_set.selections)]
    while stack:
        sel = stack.pop()
        if isinstance(sel, FieldNode):
            yield sel
        elif isinstance(sel, InlineFragmentNode):
            stack.extend(reversed(sel.selection_set.selections))
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
            stack.extend(reversed(fragments[sel.name.value].selection_set.selections))


def _leaf_paths(nodes, fragments, prefix="") -> list[str]:
    """Scalar paths selected under ``nodes`` (``lastQueue { id }`` -> ``lastQueue.id``), once each."""
    out: list[str] = []
    for f in selected(nodes, fragments):
        name = f.name.value
        if name in ("aggregation", "intervalStartTime", "__typename") or name.endswith("GlobalVariables"):
            continue
        path = prefix + name
        if f.selection_set:
            out += [p for p in _leaf_paths([f], fragments, path + ".") if p not in out]
        elif path not in out:
            out.append(path)
    return out


def _window(args, now_ms: int, root: str) -> tuple[int, int]:
    start, end = args["from"], args["to"]
    end = min(end, now_ms)  # a future `to` is clamped to now (spec)
    if start > end:
        raise SearchRefused(f"{root}: 'from' ({start}) is after 'to' ({end}).")
    if end - start > MAX_SPAN:
        raise SearchRefused(f"{root}: the duration between 'to' and 'from' must not be more than 365 days.")
    # Nothing older than 36 months is kept (spec); a window reaching further back is cut there, not refused:
    # live, seconds sent for milliseconds (a 1970 window) answer 200 with an empty list (facts 2.3).
    return max(start, now_ms - MAX_AGE), end


def leg_of(task: dict) -> dict:
    """The queue leg (CLR) of a contact, derived from its record when the simulation gives no ``taskLegs``."""
    agent = task.get("lastAgent") or {}
    return {
        "id": f"{task.get('id')}-callLeg-{task.get('createdTime')}", "taskId": task.get("id"),
        "createdTime": task.get("createdTime"), "endedTime": task.get("endedTime"), "isActive": task.get("isActive"),
        "status": task.get("status"), "contactState": task.get("status"), "origin": task.get("origin"),
        "destination": task.get("destination"), "channelType": task.get("channelType"),
        "channelSubType": task.get("channelSubType"), "direction": task.get("direction"),
        "entryPoint": task.get("lastEntryPoint") or task.get("entryPoint"), "queue": task.get("lastQueue"),
        "owner": task.get("owner") or (agent or None), "site": task.get("lastSite"), "team": task.get("lastTeam"),
        "handleType": "abandoned" if task.get("terminationType") == "abandoned" else (
            "normal" if task.get("isContactHandled") else None),
        "isTaskLegHandled": task.get("isContactHandled"), "isWithinServiceLevel": task.get("isWithInServiceLevel"),
        "handleTime": sum(task.get(k) or 0 for k in ("connectedDuration", "holdDuration", "wrapupDuration"))
        if task.get("isContactHandled") else None,
        **{k: task.get(k) for k in ("ringingDuration", "connectedCount", "connectedDuration", "holdCount",
                                    "holdDuration", "wrapupDuration", "consultDuration", "transferCount")},
        "isChildLeg": False, "callLegType": "main",
    }


def _records(ctx, root: str, start: int, end: int, comparator: str | None, full: bool) -> list[dict]:
    """The records of the window: the search view when the history keeps one (``full``: sessions with their
    activities), else the history's own copies."""
    history, org = ctx["history"], ctx["org"]
    view = hasattr(history, "view_tasks")
    if root == "agentSession":
        return history.view_agent_sessions(org, start, end + 1) if view and not full else \
            history.agent_sessions(org, start, end + 1)
    read = history.view_tasks if view else history.tasks
    if comparator == "endedTime":
        rows = read(org, start - ENDED_LOOKBACK, end + 1)
        rows = [r for r in rows if isinstance(r.get("endedTime"), int) and start <= r["endedTime"] <= end]
    else:
        rows = read(org, start, end + 1)
    if root == "taskLegDetails":
        rows = [leg for r in rows for leg in (r.get("taskLegs") or [leg_of(r)]) if isinstance(leg, dict)]
    return rows


def _needs_activities(root: str, args, list_nodes, fragments) -> bool:
    if args.get("extFilter"):
        return True
    names = {f.name.value for f in selected(list_nodes, fragments)}
    if root == "agentSession" and "channelInfo" in names:
        channel = [f for f in selected(list_nodes, fragments) if f.name.value == "channelInfo"]
        names = {f.name.value for f in selected(channel, fragments)}
    return "activities" in names


def _cursor_page(cursor) -> int:
    if cursor in (None, "", "0", "NA"):
        return 0
    if isinstance(cursor, str) and cursor.isdigit() and len(cursor) < 7:
        return int(cursor)
    raise SearchRefused(f"pagination: {cursor!r} is not a cursor this query returned.")


def _sorts(list_nodes, fragments):
    """``(field, descending)`` for fields selected with a ``sort`` argument, in selection order."""
    out = []
    for f in selected(list_nodes, fragments):
        for arg in f.arguments or ():
            if arg.name.value == "sort":
                out.append((f.name.value, getattr(arg.value, "value", "asc") == "desc"))
    return out


def resolve_root(_source, info, **args):
    """Any of the root fields."""
    root = info.field_name
    list_name, table, time_field, page_size, cap = ROOTS[root]
    ctx = info.context
    start, end = _window(args, ctx["now"], root)
    if start > end:  # the whole window is older than what is kept
        return {list_name: [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    list_nodes = [f for f in selected(info.field_nodes, info.fragments) if f.name.value == list_name]
    specs = list(args.get("aggregations") or []) + list((args.get("aggregation") or {}).get("aggr") or [])
    interval = args.get("aggregationInterval")
    if interval:
        aggregate.check_interval(interval["interval"], end - start)
    full = _needs_activities(root, args, list_nodes, info.fragments)
    rows = lambda: _records(ctx, root, start, end, args.get("timeComparator"), full)  # noqa: E731 (read when used)
    # tasks from the search view lack their activities: the rows that need them are read whole
    whole = (lambda r: ctx["history"].task(ctx["org"], r["id"]) or r) \
        if full and root == "taskDetails" and hasattr(ctx["history"], "view_tasks") else None
    keep = compile_filter(args.get("filter"), table)
    ext = activity_filter(args.get("extFilter"), root)
    tbl = _sql_table(ctx, root, args, full)
    out: dict = {}
    if interval and root == "task":
        out["intervalInfo"] = {"interval": interval["interval"], "timezone": interval.get("timezone") or "UTC"}
    if specs:
        paths = _leaf_paths(list_nodes, info.fragments)
        aggs = aggregate.prepare(table, paths, specs)
        tz = aggregate.zone(interval.get("timezone")) if interval else None
        bucket = aggregate.bucketer(interval["interval"], tz) if interval else None
        groups = _sql_groups(tbl, ctx["org"], start, end, args, table, paths, aggs, interval, tz, bucket)
        if groups is None:
            kept = [r for r in rows() if keep(r) and (ext is None or ext(whole(r) if whole else r))]
            groups = aggregate.accumulate(kept, paths, aggs, bucket,
                                          "endedTime" if args.get("timeComparator") == "endedTime" else time_field)
        result = aggregate.rows(groups, paths, aggs, bucket is not None)
        cursor = (args.get("pagination") or {}).get("cursor")
        begin = 0
        if cursor not in (None, "", "0", "NA"):
            begin = next((i + 1 for i, row in enumerate(result) if row["_cursor"] == cursor), None)
            if begin is None:
                raise SearchRefused(f"pagination: {cursor!r} is not a cursor this query returned.")
        page = result[begin:begin + AGGREGATION_PAGE]
        more = begin + AGGREGATION_PAGE < len(result)
        out[list_name] = page
        out["pageInfo"] = {"hasNextPage": more, "endCursor": page[-1]["_cursor"] if more and page else None}
        return out
    _check_activity_span(root, list_nodes, info.fragments, end - start)
    size = min(args.get("first") or page_size, page_size)
    page_no = _cursor_page((args.get("pagination") or {}).get("cursor"))
    sorts = _sorts(list_nodes, info.fragments)
    begin = page_no * size
    found = _sql_page(tbl, ctx["org"], start, end, args, table, sorts, begin, size + 1)
    if found is None:
        found = _python_page(rows(), keep, whole, ext, sorts, page_no, size)
    page = found[:size]
    more = len(found) > size and (cap is None or begin + size < cap)
    out[list_name] = page
    out["pageInfo"] = {"hasNextPage": more, "endCursor": str(page_no + 1) if more else None}
    return out


def _python_page(rows, keep, whole, ext, sorts, page_no: int, size: int) -> list:
    """The page's records and the next one (if any), in Python; the extFilter scan rule applies here."""
    need, matched, scanned = (page_no + 1) * size + 1, [], 0
    for r in rows:
        if not keep(r):
            continue
        scanned += 1
        if whole is not None:
            r = whole(r)
        if ext is not None:
            if scanned > EXT_SCAN and len(matched) < size and page_no == 0:
                raise SearchRefused("extFilter: the first page cannot be filled from the first 2500 candidate "
                                    "records; narrow the window or the filter.", status=413)
            if not ext(r):
                continue
        matched.append(r)
        if not sorts and len(matched) >= need:
            break
    for field, desc in reversed(sorts):
        matched.sort(key=lambda r, f=field: (r.get(f) is not None, r.get(f) if r.get(f) is not None else 0),
                     reverse=desc)
    return matched[page_no * size:page_no * size + size + 1]


def _sql_table(ctx, root: str, args, full: bool):
    """The SQLite view this query may use, or None (Python then: legs, endedTime, activities, extFilter)."""
    tables = getattr(ctx["history"], "tables", None)
    if tables is None or root == "taskLegDetails" or args.get("timeComparator") == "endedTime" or full \
            or args.get("extFilter"):
        return None
    return tables["agentSession" if root == "agentSession" else "task"]


def _sql_groups(tbl, org, start, end, args, table, paths, aggs, interval, tz, bucket):
    if tbl is None:
        return None
    bucket_sql = None
    if interval:
        step = aggregate.MINUTES.get(interval["interval"])
        bucket_sql = f"(t - t % {step * 60_000})" if step and tz is aggregate.dt.timezone.utc else "python"
    try:
        return sql.aggregate(tbl, org, start, end + 1, args.get("filter"), table, paths, aggs, bucket_sql, bucket)
    except sql.NotCompilable:
        return None


def _sql_page(tbl, org, start, end, args, table, sorts, offset: int, limit: int):
    if tbl is None:
        return None
    try:
        return sql.page(tbl, org, start, end + 1, args.get("filter"), table, sorts, offset, limit)
    except sql.NotCompilable:
        return None


def _check_activity_span(root, list_nodes, fragments, span) -> None:
    """Raw activity (CAR/AAR) fetches cover 30 days at most (facts 2.7)."""
    if span <= MAX_ACTIVITY_SPAN:
        return
    names = {f.name.value for f in selected(list_nodes, fragments)}
    if root == "agentSession" and "channelInfo" in names:
        channel = [f for f in selected(list_nodes, fragments) if f.name.value == "channelInfo"]
        names = {f.name.value for f in selected(channel, fragments)}
    if "activities" in names:
        raise SearchRefused(f"{root}: activity records can be fetched for 30 days at most.")


def resolve_activities(source, info, first=None, after=None):
    """``activities(first, after)``: the record's activity list, paged (first: 25 by default, 100 at most)."""
    nodes = [a for a in (source.get("activities") or ()) if isinstance(a, dict)]
    first = 25 if first is None else max(0, min(first, 100))
    begin = 0
    if after:
        time_field = "startTime" if info.parent_type.name.endswith("ChannelInfo") else "createdTime"
        begin = next((i + 1 for i, a in enumerate(nodes) if str(a.get(time_field)) == after), len(nodes))
    page = nodes[begin:begin + first]
    more = begin + first < len(nodes)
    time_field = "startTime" if info.parent_type.name.endswith("ChannelInfo") else "createdTime"
    return {"totalCount": len(nodes), "nodes": page,
            "pageInfo": {"hasNextPage": more, "endCursor": str(page[-1].get(time_field)) if more and page else None}}


def global_variable(kind: str):
    """The resolver of ``<kind>GlobalVariables(name:)``: ``{name, value}``, both null when unset (facts 2.9)."""
    def resolve(source, _info, name):
        for n, v in variables(source, kind):
            if n == name:
                return {"name": n, "value": v}
        return {"name": None, "value": None}
    return resolve
