"""Runs HTTP Request activities (R13, R15-R18): templating, connector credentials, dispatch, retries, parsing."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import orjson
from flask import current_app

from .. import connectors
from ..http.errors import ApiError, webex_error
from .activity import HttpActivity
from .dispatch import InProcessDispatcher, Outbound, Reply, TransportError
from .parsing import EMPTY, InvalidExpression, evaluate
from .templating import Renderer

_BODY_METHODS = ("POST", "PUT", "PATCH")
_JSON_TYPES = ("application/json", "json")


def dispatcher(rt):
    """The seam: ``rt.flow_dispatcher`` if set (tests, harness), else in-process through this app."""
    return rt.flow_dispatcher or InProcessDispatcher(current_app._get_current_object())


def _target(rt, org, act: HttpActivity, r: Renderer) -> tuple[str, dict, dict, list | None]:
    """(path, query, auth headers, methods the connector allows): the connector's API and credentials, or the
    mock's own base URL."""
    path, query, auth, allowed = _resolve(rt, org, act, r)
    if path == "/_mock" or path.startswith("/_mock/"):  # not part of Webex; a flow could also run itself
        raise ApiError(400, f"Activity {act.name!r}: {path} is the mock's control API, which flows cannot call.")
    return path, query, auth, allowed


def _resolve(rt, org, act: HttpActivity, r: Renderer) -> tuple[str, dict, dict, list | None]:
    if act.authenticated:
        try:
            token = connectors.credentials(rt, org, act.connector_id, rt.base_url())
        except connectors.ConnectorUnavailable as exc:
            raise _Stop(exc.state, exc.reason) from None
        allowed = (rt.store.get(org, "connector", act.connector_id) or {}).get("allowedMethods")
        path, _, qs = r.render(act.path, url_part=True).partition("?")  # a path, never a host ('//x' stays)
        return path, dict(parse_qsl(qs)), {"Authorization": f"Bearer {token}"}, allowed
    url, base = r.render(act.url, url_part=True), urlsplit(rt.base_url())
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ApiError(400, f"Activity {act.name!r}: httpRequestUrl {url!r} is refused: without a connector the "
                            f"mock only calls its own base URL {rt.base_url()} (it makes no outbound requests).")
    return parts.path or "/", dict(parse_qsl(parts.query)), {}, None


def _refused(app, out: Outbound, scopes: str) -> Reply:
    """R17: a read-only connector sends no write; the reply is the API's own 403 for a token without
    cjp:config_write (rendered by errors.py in a context of its own, so it gets its own tracking id).

    Differs from Webex as far as is known: the real call would reach the API, which refuses writes without
    cjp:config_write but accepts publish with cjp:config_read; the mock applies R17 to every non-GET.
    """
    # A new app context first: a request context of the same app would otherwise share the outer ``g``.
    with app.app_context(), app.test_request_context(out.path, method=out.method, base_url=out.base_url):
        resp = webex_error(403, f"Access denied: {out.method} {out.path} requires scope cjp:config_write; "
                                f"the token has {scopes}.")
    return Reply(resp.status_code, dict(resp.headers), resp.get_data())


class _Stop(Exception):
    """The connector stopped the activity before any call: ``state`` inactive (R13) or deleted/unknown (R15)."""

    def __init__(self, state: str, reason: str):
        super().__init__(reason)
        self.state, self.reason = state, reason


def _check_types(act: HttpActivity, body) -> None:
    if body is not None and act.content_type and act.content_type.strip().lower() not in _JSON_TYPES:
        raise ApiError(400, f"Activity {act.name!r}: httpContentType {act.content_type!r} is not simulated; "
                            "the Contact Center API takes Application/JSON (R16).")
    if act.outputs and act.parse_type and act.parse_type.strip().upper() != "JSON":
        raise ApiError(400, f"Activity {act.name!r}: parse contentType {act.parse_type!r} is not simulated; "
                            "the Contact Center API answers JSON.")


def run_activity(rt, org: str, act: HttpActivity, variables: dict) -> tuple[dict, dict | None]:
    """(result, global error or None). ``variables`` gains the outputs and ``<label>.httpStatusCode`` etc."""
    r = Renderer(variables)
    body = r.render(act.body) if act.method in _BODY_METHODS and act.body is not None else None
    _check_types(act, body)
    started = time.perf_counter()
    result = {"activity": act.name, "activityId": act.id, "connectorId": act.connector_id}
    try:
        path, query, auth, allowed = _target(rt, org, act, r)
    except _Stop as stop:
        outcome = "paused" if stop.state == "inactive" else "failed"
        result.update(outcome=outcome, attempts=0, error=stop.reason)
        return result, (None if outcome == "paused" else _global(act, "CONNECTOR_" + stop.state.upper(), stop.reason))
    query.update(r.render_map(act.query))
    headers = {**r.render_map(act.headers), **auth}
    broken = [k for k, v in headers.items() if any(c in f"{k}{v}" for c in "\r\n\0")]
    if broken:
        raise ApiError(400, f"Activity {act.name!r}: httpRequestHeaders {', '.join(broken)}: a header may not "
                            "contain a line break.")
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    out = Outbound(act.method, path, query, headers, body.encode() if body is not None else None, rt.base_url())
    result["request"] = {"method": act.method, "path": path, "query": query}
    send = dispatcher(rt)
    if allowed is not None and act.method not in allowed:
        scopes = " ".join(sorted((rt.store.get(org, "connector", act.connector_id) or {}).get("scopes") or []))
        reply = _refused(current_app._get_current_object(), out, scopes)
        send = lambda _out, _timeout: reply  # noqa: E731  (no request leaves: nothing is written)
        result["request"]["sent"] = False
    reply, attempts, failure = _send(send, out, act)
    if failure is not None:
        result.update(outcome="failed", attempts=attempts, error=failure, timeMs=_ms(started))
        return result, _global(act, "TRANSPORT", failure)
    result.update(_completed(act, reply, attempts, started, r))
    variables.update(result["outputs"])
    for key in ("httpStatusCode", "httpResponseBody", "httpResponseHeaders"):
        variables[f"{act.name}.{key}"] = result[key]
    return result, None


def _send(send, out: Outbound, act: HttpActivity):
    """(reply, attempts, transport failure or None): retried on 5xx only, at most ``retryAttempts`` times."""
    attempts, reply = 0, None
    while attempts <= act.retries:  # bounded: retryAttempts <= MAX_RETRIES
        attempts += 1
        try:
            reply = send(out, act.timeout_ms / 1000)
        except TransportError as exc:  # no response: not retried, the flow's global error (R18)
            return None, attempts, str(exc)
        if reply.status < 500:
            break
    return reply, attempts, None


def _completed(act, reply, attempts, started, r: Renderer) -> dict:
    text = reply.body.decode("utf-8", "replace")
    outputs, note = {}, None
    try:
        doc = orjson.loads(reply.body) if reply.body else None
    except orjson.JSONDecodeError:
        doc, note = None, "the response is not JSON: output variables are empty."
    for var, expr in act.outputs:
        try:
            outputs[var] = evaluate(expr, doc) if doc is not None else EMPTY
        except InvalidExpression as exc:
            raise ApiError(400, f"Activity {act.name!r}: outputVariable {var!r}: {exc}") from None
    done = {"outcome": "completed", "exit": "default", "httpStatusCode": reply.status, "httpResponseBody": text,
            "httpResponseHeaders": reply.headers, "outputs": outputs, "attempts": attempts, "timeMs": _ms(started)}
    if note:
        done["parseNote"] = note
    if r.unresolved:
        done["unresolvedVariables"] = r.unresolved
    if r.unsupported:
        done["unsupportedExpressions"] = r.unsupported
    return done


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _global(act: HttpActivity, kind: str, message: str) -> dict:
    return {"activity": act.name, "type": kind, "message": message, "handler": "OnGlobalError"}


def run_flow(rt, org: str, http: list, variables: dict) -> dict:
    """Run HTTP Request activities in order; stop at a paused or failed one.

    Differs from Webex: only HTTP Request activities run, in flow order, whatever conditions and menus between
    them would decide; retries follow at once, without back-off.
    """
    results, error = [], None
    for act in http:
        result, error = run_activity(rt, org, act, variables)
        results.append(result)
        if result["outcome"] != "completed":
            break
    last = results[-1]["outcome"] if results else "completed"
    return {"status": last, "results": results, "variables": variables, "globalError": error}
