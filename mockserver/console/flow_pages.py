"""Flow Designer pages: the organisation's flows, each HTTP Request activity's connector, path, method and routing
(R13, R15), and a tester that runs one activity or the whole flow through the mock's runner (R16-R18)."""
from __future__ import annotations

import orjson
from flask import request

from ..flows.activity import METHODS, activities
from ..http.errors import ApiError
from .client import call
from .web import bp, me, render, signed_in

MAX_FLOWS = 50  # flows listed on one page
MAX_LINES, MAX_FIELD = 50, 20000  # per form field: lines of name=value, characters
PARSE_ROWS = 5  # parse-setting rows the tester offers
MAX_SHOWN = 20000  # characters of a response body shown


class FormError(Exception):
    """The tester form itself is wrong: shown, nothing runs."""


class _Bad(FormError):
    """A wrong tester form, with what was entered (the page shows it again)."""

    def __init__(self, form: dict, message: str):
        super().__init__(message)
        self.form, self.message = form, message


def _statuses() -> tuple[list, str | None]:
    answer = call("GET", f"/_mock/flows/{me()['orgId']}/status", admin=True)
    if not answer.ok or not isinstance(answer.body, list):
        return [], answer.reason
    return answer.body[:MAX_FLOWS], None


def _export(status: dict) -> tuple[dict | None, str | None]:
    """The flow as the flow store exports it, with the person's token."""
    path = f"/flow-store/{me()['orgId']}/project/{status.get('projectId')}/flows/{status['flowId']}:export"
    answer = call("GET", path, token=me()["token"])
    return (answer.body, None) if answer.ok and isinstance(answer.body, dict) else (None, answer.reason)


def _rows(status: dict, version: dict | None) -> list[dict]:
    """Per HTTP Request activity: routing and connector (status) with path, method and parsing (export)."""
    parsed = {}
    if version is not None:
        try:
            parsed = {a.id: a for a in activities(version)[0]}
        except ApiError:
            parsed = {}
    rows = []
    for row in status.get("activities", []):
        act = parsed.get(row["id"])
        rows.append({**row, "method": act.method if act else None, "path": (act.path or act.url) if act else None,
                     "act": act})
    return rows


def _connectors() -> list[dict] | None:
    answer = call("GET", f"/controlhub/organization/{me()['orgId']}/connectors", token=me()["token"],
                  query={"pageSize": 1000})
    return answer.body.get("data", []) if answer.ok else None


@bp.route("/flows")
@signed_in
def flows():
    """Every flow of the organisation with its HTTP Request activities."""
    statuses, error = _statuses()
    shown = []
    for status in statuses:
        version, refusal = _export(status)
        shown.append({**status, "rows": _rows(status, version), "refusal": refusal})
    return render("flows.html", flows=shown, error=error)


def _find(flow_id: str):
    statuses, error = _statuses()
    status = next((s for s in statuses if s["flowId"] == flow_id), None)
    if status is None:
        return None, None, error or f"Flow {flow_id} not found in organization {me()['orgId']}."
    version, refusal = _export(status)
    return status, version, refusal


def _defaults(version: dict | None) -> dict:
    rows = (version or {}).get("variables")
    return {v["name"]: v.get("value") if v.get("value") is not None else "" for v in rows or []
            if isinstance(v, dict) and v.get("name")}


def _lines(pairs: dict) -> str:
    return "\n".join(f"{k}={v}" for k, v in pairs.items()) if isinstance(pairs, dict) else ""


def _form_for(act, version) -> dict:
    """The tester's fields, from an activity (or empty)."""
    outputs = list(act.outputs) if act else []
    outputs += [("", "")] * max(0, PARSE_ROWS - len(outputs))
    return {"activity": act.id if act else "", "label": act.name if act else "HTTPRequest",
            "connectorId": act.connector_id if act else "", "path": (act.path if act else "") or "",
            "method": act.method if act else "GET", "query": _lines(act.query) if act else "",
            "contentType": (act.content_type if act else None) or "Application/JSON",
            "body": (act.body if act else "") or "", "outputs": outputs[:max(PARSE_ROWS, len(outputs))],
            "variables": _lines(_defaults(version))}


def _page(flow_id: str, status_code: int = 200, form: dict | None = None, result=None, error=None):
    status, version, refusal = _find(flow_id)
    if status is None:
        return render("error.html", 404, title="Flow", reason=refusal)
    rows = _rows(status, version)
    if form is None:
        wanted = request.args.get("activity")
        act = next((r["act"] for r in rows if r["act"] and r["id"] == wanted), None) or \
            next((r["act"] for r in rows if r["act"]), None)
        form = _form_for(act, version)
    return render("flow.html", status_code, flow=status, rows=rows, refusal=refusal, form=form, result=result,
                  error=error, methods=METHODS, connectors=_connectors())


@bp.route("/flows/<flow_id>")
@signed_in
def flow(flow_id):
    """One flow: its activities and the HTTP Request tester."""
    return _page(flow_id)


def _pairs(name: str, text: str) -> dict:
    """``name=value`` lines into a dict (blank lines skipped); FormError naming the line otherwise."""
    if len(text) > MAX_FIELD:
        raise FormError(f"{name}: at most {MAX_FIELD} characters.")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > MAX_LINES:
        raise FormError(f"{name}: at most {MAX_LINES} lines.")
    out = {}
    for number, line in enumerate(lines, 1):
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise FormError(f"{name}, line {number}: write name=value (got {line.strip()[:60]!r}).")
        out[key.strip()] = value.strip()
    return out


def _read_form() -> tuple[dict, dict, dict]:
    """(form values as entered, the activity's exported properties, the variables)."""
    f = request.form
    outputs = [(f.get(f"var{i}", "").strip(), f.get(f"expr{i}", "").strip()) for i in range(PARSE_ROWS)]
    form = {"activity": f.get("activity", ""), "label": f.get("label", "HTTPRequest")[:100] or "HTTPRequest",
            "connectorId": f.get("connectorId", ""), "path": f.get("path", ""), "method": f.get("method", "GET"),
            "query": f.get("query", ""), "contentType": f.get("contentType", "Application/JSON"),
            "body": f.get("body", ""), "outputs": outputs, "variables": f.get("variables", "")}
    for key in ("path", "body", "connectorId"):
        if len(form[key]) > MAX_FIELD:
            raise _Bad(form, f"{key}: at most {MAX_FIELD} characters.")
    if form["method"] not in METHODS:
        raise _Bad(form, f"Method: choose one of {', '.join(METHODS)}.")
    try:
        query, variables = _pairs("Query parameters", form["query"]), _pairs("Variables", form["variables"])
    except FormError as exc:
        raise _Bad(form, str(exc)) from None
    props = {"name": form["label"], "activityName": "http-request-v2", "authenticated": True,
             "connectorId": form["connectorId"], "httpRequestPath": form["path"], "httpRequestMethod": form["method"],
             "httpQueryParameters": query, "httpContentType": form["contentType"],
             "httpRequestBody": form["body"] or None, "contentType": "JSON",
             "outputVariableArray": [{"outputVariable": v, "jsonPathExp": e} for v, e in outputs if v or e]}
    return form, props, variables


def _shown(result: dict) -> dict:
    """The run result, with each response body pretty-printed when it is JSON (and cut to a readable size)."""
    for item in result.get("results", []):
        text = item.get("httpResponseBody")
        if isinstance(text, str):
            try:
                text = orjson.dumps(orjson.loads(text), option=orjson.OPT_INDENT_2).decode()
            except orjson.JSONDecodeError:
                pass
            item["shownBody"] = text[:MAX_SHOWN] + ("\n... (cut)" if len(text) > MAX_SHOWN else "")
    return result


@bp.route("/flows/<flow_id>/run-activity", methods=["POST"])
@signed_in
def run_activity(flow_id):
    """Run the activity as the form describes it (POST /_mock/flows/<org>/run-activity)."""
    try:
        form, props, variables = _read_form()
    except _Bad as bad:
        return _page(flow_id, 400, form=bad.form, error=bad.message)
    answer = call("POST", f"/_mock/flows/{me()['orgId']}/run-activity", admin=True,
                  json={"activity": props, "variables": variables})
    if not answer.ok:
        return _page(flow_id, answer.status or 502, form=form, error=answer.reason)
    return _page(flow_id, form=form, result=_shown(answer.body))


@bp.route("/flows/<flow_id>/run", methods=["POST"])
@signed_in
def run_flow(flow_id):
    """Run the stored flow's HTTP Request activities in order (POST /_mock/flows/<org>/<flow>/run)."""
    try:
        variables = _pairs("Variables", request.form.get("variables", ""))
    except FormError as exc:
        return _page(flow_id, 400, error=str(exc))
    answer = call("POST", f"/_mock/flows/{me()['orgId']}/{flow_id}/run", admin=True, json={"variables": variables})
    if not answer.ok:
        return _page(flow_id, answer.status or 502, error=answer.reason)
    return _page(flow_id, result=_shown(answer.body))
