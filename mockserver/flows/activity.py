"""The HTTP Request activity (``http-request-v2``) of an exported flow: its properties, validated (R16).

Property names are the exported flow's (webex-cc-facts.md 7.1). Every other activity type is kept as it is and
reported as not simulated.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..http.errors import ApiError
from .parsing import InvalidExpression, compile_path

HTTP_REQUEST = "http-request-v2"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
JSON_CONTENT = "application/json"
DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS = 2000, 60000  # 2000 ms: the value exported flows carry
MAX_RETRIES = 5


@dataclass
class HttpActivity:
    """One HTTP Request activity, normalised."""

    id: str
    name: str
    authenticated: bool
    connector_id: str | None
    path: str | None
    url: str | None
    method: str
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    content_type: str | None = "Application/JSON"
    body: str | None = None
    parse_type: str | None = "JSON"
    outputs: list = field(default_factory=list)  # [(variable, expression)]
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    retries: int = 1


def _invalid(label: str, problem: str) -> ApiError:
    return ApiError(400, f"Invalid activity {label!r}: {problem}")


def _int(props, key, default, low, high, label) -> int:
    raw = props.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw).strip())  # exported flows carry both 2000 and "5000"
    except ValueError:
        raise _invalid(label, f"{key} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise _invalid(label, f"{key} must be between {low} and {high}, not {value}.")
    return value


def _map(props, key, label) -> dict:
    value = props.get(key) or {}
    if not isinstance(value, dict):
        raise _invalid(label, f"{key} must be an object of names to values.")
    return value


def _outputs(props, label) -> list:
    rows = props.get("outputVariableArray") or []
    if not isinstance(rows, list):
        raise _invalid(label, "outputVariableArray must be a list of {outputVariable, jsonPathExp}.")
    out = []
    for row in rows:
        if not isinstance(row, dict):
            raise _invalid(label, "outputVariableArray must be a list of {outputVariable, jsonPathExp}.")
        var, expr = row.get("outputVariable"), row.get("jsonPathExp")
        if not var or not expr:
            continue  # an empty row, as Flow Designer exports them: parses nothing
        try:
            compile_path(expr)
        except InvalidExpression as exc:
            raise _invalid(label, f"outputVariable {var!r}: {exc}") from None
        out.append((str(var), expr))
    return out


def parse(activity_id: str, label: str, props: dict) -> HttpActivity:
    """Validate one HTTP Request activity's properties (400 naming the activity and the property)."""
    if not isinstance(props, dict):
        raise _invalid(label, "properties must be an object.")
    authenticated = props.get("authenticated")
    if authenticated is None:  # the toggle is on by default (facts 7.1); older exports with only a URL lack it
        authenticated = not (props.get("httpRequestUrl") and not props.get("connectorId"))
    if not isinstance(authenticated, bool):
        raise _invalid(label, "authenticated must be true or false.")
    method = str(props.get("httpRequestMethod") or "GET").upper()
    if method not in METHODS:
        raise _invalid(label, f"httpRequestMethod {method!r} is not one of {', '.join(METHODS)}.")
    path, url, connector = props.get("httpRequestPath"), props.get("httpRequestUrl"), props.get("connectorId")
    if authenticated and not (isinstance(connector, str) and connector):
        raise _invalid(label, "connectorId is required when authenticated (Use Authenticated Endpoint) is on.")
    if authenticated and not (isinstance(path, str) and path.startswith("/")):
        raise _invalid(label, "httpRequestPath must be a path starting with '/' when authenticated is on.")
    if not authenticated and not (isinstance(url, str) and url.strip()):
        raise _invalid(label, "httpRequestUrl is required when authenticated (Use Authenticated Endpoint) is off.")
    body = props.get("httpRequestBody")
    if body is not None and not isinstance(body, str):
        raise _invalid(label, "httpRequestBody must be a string (a template).")
    return HttpActivity(
        id=activity_id, name=label, authenticated=authenticated, connector_id=connector if authenticated else None,
        path=path if authenticated else None, url=None if authenticated else url.strip(), method=method,
        query=_map(props, "httpQueryParameters", label), headers=_map(props, "httpRequestHeaders", label),
        content_type=props.get("httpContentType"), body=body, parse_type=props.get("contentType"),
        outputs=_outputs(props, label),
        timeout_ms=_int(props, "httpResponseTimeout", DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS, label),
        retries=_int(props, "retryAttempts", 1, 0, MAX_RETRIES, label))


def is_http(activity: dict) -> bool:
    """Whether an exported activity is an HTTP Request activity."""
    props = activity.get("properties") if isinstance(activity, dict) else None
    return isinstance(props, dict) and HTTP_REQUEST in (props.get("activityName"), props.get("activityId"))


def activities(version: dict) -> tuple[list[HttpActivity], list[dict]]:
    """(HTTP Request activities in flow order, other activities as ``{id, name, type}``) of a FlowVersionRes.

    Flow order: breadth-first along the links from the start activity; unlinked activities follow in the
    order the file lists them.
    """
    process = version.get("process") if version.get("process") is not None else {}
    acts = process.get("activities") if isinstance(process, dict) else None
    acts = {} if isinstance(process, dict) and acts is None else acts
    if not isinstance(acts, dict) or not isinstance(process.get("links") or [], list):
        raise ApiError(400, "Invalid flow: process.activities must be an object and process.links a list.")
    http, other = [], []
    for aid in _flow_order(acts, process.get("links") or []):
        act = acts[aid]
        if not isinstance(act, dict):
            raise ApiError(400, f"Invalid activity {aid!r}: must be an object.")
        label = str(act.get("name") or (act.get("properties") or {}).get("name") or aid)
        if is_http(act):
            http.append(parse(str(aid), label, act["properties"]))
        else:
            props = act.get("properties") if isinstance(act.get("properties"), dict) else {}
            other.append({"id": aid, "name": label, "type": props.get("activityName") or act.get("group")})
    return http, other


def _flow_order(acts: dict, links: list) -> list:
    nexts: dict = {}
    for link in links:
        if isinstance(link, dict):
            nexts.setdefault(link.get("sourceActivityId"), []).append(link.get("targetActivityId"))
    starts = [a for a, v in acts.items() if isinstance(v, dict) and v.get("group") == "start"]
    order, queue, seen = [], list(starts), set()
    while queue:  # bounded: each activity is visited once
        aid = queue.pop(0)
        if aid in seen or aid not in acts:
            continue
        seen.add(aid)
        order.append(aid)
        queue.extend(nexts.get(aid, []))
    return order + [a for a in acts if a not in seen]
