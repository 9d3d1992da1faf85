"""The flow roots of the Search API, ``flowInteractions`` and ``flowTraceEvents`` (runtime facts 2.2, 2.3, 2.6,
2.9, all [U]: known from a third-party CLI only), derived from the contacts the simulation recorded.

The simulation does not interpret flows (its routing is ``activity/tenant.derive_routes``), so what a flow did
for a contact is derived from what the mock knows, and each rule below departs from Webex where Webex records
the real execution (docs/differences.md, Search API):

- Which contacts: every inbound contact with an entry point, and the EXECUTE_FLOW tasks of ``POST /v1/tasks``
  (they start the inbound entry point's flow, facts 4.2); one interaction per contact, ``interactionId`` its id.
- Which flow: the entry point's ``flowId`` as the configuration names it **now** (Webex keeps the flow version
  that ran); ``flowVersionId`` the stored flow's current version. An entry point without a stored flow runs
  the routing the simulation applies: ``NewPhoneContact``, then ``QueueContact`` if the contact reached a queue.
- Which activities: a stored flow's, from its start activity along the first link of each (file order), so a
  condition takes its first branch whatever the contact did; HTTP Request activities are not called per contact
  (``/_mock/flows/{org}/{flow}/run`` runs them on demand), so outputs and modified variables are empty.
- When: the flow starts when the contact arrives and holds it through self-service, queue and ringing; it ends
  when an agent has the contact or the contact ended: ``flowStartTime`` = ``createdTime``, ``flowEndTime`` =
  ``createdTime + selfserviceDuration + queueDuration + ringingDuration``, null while the flow still holds it.
  ``status``: ``active`` then; ``abandoned`` when the customer left first; else ``completed``. Trace events carry
  their interaction's flow times (no per-activity times are known).
"""
from __future__ import annotations

import math

from . import aggregate
from . import fields as F
from .errors import SearchRefused
from .filters import compile_filter
from .resolvers import _leaf_paths, _sorts, _window, selected

#: root -> (list field, record table)
ROOTS = {"flowInteractions": ("flowInteractions", F.FLOW_INTERACTION),
         "flowTraceEvents": ("flowTraceEvents", F.FLOW_TRACE_EVENT)}
PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000  # [U] the CLI asks for 100; the mock's cap
MAX_DERIVED = 100_000  # records one query may derive (a day of a 500-agent center is ~12 000 contacts)
MAX_PATH = 200  # activities followed in one flow at most (a flow's links may form a loop)
MAX_INPUTS = 20
#: What the derivation reads of a contact, as ``{path: value}``.
TASK_FIELDS = ["id", "createdTime", "direction", "outdialType", "lastEntryPoint.id", "lastEntryPoint.name",
               "lastQueue.id", "isActive", "status", "terminationType", "selfserviceDuration", "queueDuration",
               "ringingDuration"]
_SKIP_PROPS = ("name", "activityName", "activityId", "description", "event")


def _text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _implicit(task: dict) -> list[tuple]:
    """The routing the simulation applies, as the activities of a flow: the start, then the queue if reached."""
    queue = task.get("lastQueue.id")
    if not queue:
        return [("NewPhoneContact", None, None, [])]
    return [("NewPhoneContact", None, "out", []), ("QueueContact", None, None, [{"name": "queueId", "value": queue}])]


def _path(version: dict) -> list[tuple]:
    """``(name, activity id, outcome, inputs)`` along a stored flow's first links from its start activity."""
    process = version.get("process") if isinstance(version.get("process"), dict) else {}
    acts = process.get("activities") if isinstance(process.get("activities"), dict) else {}
    links: dict = {}
    for link in process.get("links") if isinstance(process.get("links"), list) else ():
        if isinstance(link, dict):
            links.setdefault(link.get("sourceActivityId"), link)  # the first link of each activity
    at = next((a for a, v in acts.items() if isinstance(v, dict) and v.get("group") == "start"), None)
    out, seen = [], set()
    while at in acts and at not in seen and len(out) < MAX_PATH:
        seen.add(at)
        act = acts[at] if isinstance(acts[at], dict) else {}
        props = act.get("properties") if isinstance(act.get("properties"), dict) else {}
        link = links.get(at)
        inputs = [{"name": k, "value": _text(v)} for k, v in props.items()
                  if k not in _SKIP_PROPS and isinstance(v, (str, int, float))][:MAX_INPUTS]
        out.append((str(act.get("name") or props.get("name") or at), str(at),
                    str(link.get("conditionExpr")) if link and link.get("conditionExpr") is not None else None,
                    inputs))
        at = link.get("targetActivityId") if link else None
    return out


class _Flows:
    """Entry point id -> ``(flowId, flowVersionId, path or None)`` from the configuration, looked up once."""

    def __init__(self, store, org: str):
        self.store, self.org, self.known = store, org, {}

    def of(self, ep_id: str):
        if ep_id not in self.known:
            ep = (self.store.get(self.org, "entry-point", ep_id) if self.store is not None else None) or {}
            flow_id = ep.get("flowId") or None
            doc = self.store.get(self.org, "flow", flow_id) if flow_id else None
            version = (doc or {}).get("flowVersion") if isinstance((doc or {}).get("flowVersion"), dict) else None
            self.known[ep_id] = (flow_id, version.get("id") if version else None,
                                 _path(version) if version else None)
        return self.known[ep_id]


def _runs_a_flow(task: dict) -> bool:
    return bool(task.get("lastEntryPoint.id")) and (
        task.get("direction") == "inbound" or task.get("outdialType") == "EXECUTE_FLOW")


def interaction(task: dict, flow) -> tuple[dict, list]:
    """The flow interaction of a contact (``{path: value}`` of ``TASK_FIELDS``) and the path its flow took."""
    flow_id, version_id, path = flow
    if path is None:
        path = _implicit(task)
    start = task.get("createdTime")
    held = task.get("isActive") and task.get("status") in ("created", "parked")
    end = None if held else start + sum(task.get(k) or 0 for k in (
        "selfserviceDuration", "queueDuration", "ringingDuration"))
    status = "active" if held else "abandoned" if task.get("terminationType") == "abandoned" else "completed"
    return {"interactionId": task["id"], "flowId": flow_id, "flowVersionId": version_id,
            "entryPointName": task.get("lastEntryPoint.name"), "lastExecutedActivity": path[-1][0] if path
            else None, "mainFlowActivities": len(path), "eventFlowActivities": 0, "flowStartTime": start,
            "flowEndTime": end, "status": status}, path


def derive(root: str, tasks, store, org: str, keep=None) -> list[dict]:
    """The root's records for the contacts of a window that ``keep`` accepts, in time order (``MAX_DERIVED``
    derived at most, else 413)."""
    flows, out, derived = _Flows(store, org), [], 0
    for task in tasks:
        if not _runs_a_flow(task):
            continue
        rec, path = interaction(task, flows.of(task["lastEntryPoint.id"]))
        if root == "flowInteractions":
            found = [rec]
        else:
            found = [{"interactionId": rec["interactionId"], "flowId": rec["flowId"], "activityName": name,
                      "activityProcessId": aid, "outcome": outcome, "activityInputs": inputs,
                      "activityOutput": [], "modifiedFlowVariables": [], "flowStartTime": rec["flowStartTime"],
                      "flowEndTime": rec["flowEndTime"]} for name, aid, outcome, inputs in path]
        derived += len(found)
        if derived > MAX_DERIVED:
            raise SearchRefused(f"{root}: the window holds more than {MAX_DERIVED} records; narrow the window.",
                                status=413)
        out.extend(found if keep is None else [r for r in found if keep(r)])
    return out


def _page_args(pagination) -> tuple[int, int]:
    pagination = pagination or {}
    size = pagination.get("pageSize")
    size = PAGE_SIZE if size is None else size
    page = pagination.get("currentPage")
    page = 1 if page is None else page
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise SearchRefused(f"pagination: pageSize must be between 1 and {MAX_PAGE_SIZE}, not {size}.")
    if page < 1:
        raise SearchRefused(f"pagination: currentPage starts at 1, not {page}.")
    return size, page


def resolve(_source, info, **args):
    """``flowInteractions`` or ``flowTraceEvents``: window, filter, sort or aggregations, numbered pages."""
    root, ctx = info.field_name, info.context
    list_name, table = ROOTS[root]
    size, page_no = _page_args(args.get("pagination"))
    start, end = _window(args, ctx["now"], root)
    list_nodes = [f for f in selected(info.field_nodes, info.fragments) if f.name.value == list_name]
    interval = args.get("aggregationInterval")
    if interval:
        aggregate.check_interval(interval["interval"], end - start)
    keep = compile_filter(args.get("filter"), table)
    specs = list(args.get("aggregations") or [])
    aggs = paths = None
    if specs:
        paths = _leaf_paths(list_nodes, info.fragments)
        aggs = aggregate.prepare(table, paths, specs)
    history = ctx["history"]
    if start > end:
        tasks = []
    elif hasattr(history, "view_task_fields"):  # the few fields derived from, not each record's JSON (measured:
        tasks = history.view_task_fields(ctx["org"], start, end + 1, TASK_FIELDS)  # a third of the time)
    else:
        tasks = [{p: aggregate.first(t, p) for p in TASK_FIELDS} for t in history.tasks(ctx["org"], start, end + 1)]
    kept = derive(root, tasks, ctx.get("store"), ctx["org"], keep)
    if specs:
        bucket = aggregate.bucketer(interval["interval"], aggregate.zone(interval.get("timezone"))) \
            if interval else None
        groups = aggregate.accumulate(kept, paths, aggs, bucket, "flowStartTime")
        kept = aggregate.rows(groups, paths, aggs, bucket is not None)
    else:
        for field, desc in reversed(_sorts(list_nodes, info.fragments)):
            kept.sort(key=lambda r, f=field: (r.get(f) is not None, r.get(f) if r.get(f) is not None else 0),
                      reverse=desc)
    pages = math.ceil(len(kept) / size)
    return {list_name: kept[(page_no - 1) * size:page_no * size],
            "pageInfo": {"hasNextPage": page_no < pages, "totalPages": pages, "totalHits": len(kept)}}
