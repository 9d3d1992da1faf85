"""The harness at a glance: request journal, faults, rate limits, the mock clock, organisations with ready tokens.

Every read and change is a call to the control API (/_mock/...), with the admin token when one is configured.
"""
from __future__ import annotations

import math

from flask import redirect, request, url_for

from .client import call
from .web import bp, flash, render

JOURNAL_SHOWN = 100  # newest entries shown
MAX_ORGS = 50  # organisations listed with a ready token
FAULT_METHODS = ("", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class FormError(Exception):
    """A harness form with a wrong field: shown as a message, nothing sent."""


def form_number(label: str, raw: str | None, *, required: bool = False, kind=int):
    """A number from a form field (None when empty and not required); FormError names the field."""
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise FormError(f"{label}: required.")
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):  # "nan", "inf": not JSON
        raise FormError(f"{label}: {raw[:40]!r} is not a {'whole ' if kind is int else ''}number.")
    return value


def _journal_filters() -> dict:
    return {k: request.args.get(k, "").strip() for k in ("path", "status", "orgId")}


def _orgs() -> tuple[list, str | None]:
    answer = call("GET", "/_mock/orgs", admin=True)
    if not answer.ok:
        return [], answer.reason
    out = []
    for org in answer.body.get("items", [])[:MAX_ORGS]:
        # A ready token: a Full Administrator of the organisation (a synthetic user, so every org has one).
        token = call("POST", "/_mock/tokens", admin=True, json={"orgId": org["id"], "roles": ["full_admin"]})
        out.append({**org, "token": token.body.get("access_token") if token.ok else None,
                    "tokenError": None if token.ok else token.reason})
    return out, None


@bp.route("/harness")
def harness():
    """Journal (filtered, newest first), faults, rate limits, clock, organisations."""
    return _page()


def _page(created: dict | None = None):
    filters = _journal_filters()
    query = {k: v for k, v in filters.items() if v}
    journal = call("GET", "/_mock/journal", admin=True, query={**query, "limit": JOURNAL_SHOWN})
    faults = call("GET", "/_mock/faults", admin=True)
    limits = call("GET", "/_mock/ratelimits", admin=True)
    clock = call("GET", "/_mock/clock", admin=True)
    orgs, orgs_error = _orgs()
    return render("harness.html", 200 if journal.ok else journal.status, filters=filters,
                  journal=list(reversed(journal.body["items"])) if journal.ok else [],
                  journal_total=journal.body.get("total") if journal.ok else 0,
                  journal_error=None if journal.ok else journal.reason,
                  faults=faults.body.get("items", []) if faults.ok else [],
                  faults_error=None if faults.ok else faults.reason,
                  limits=limits.body if limits.ok else None, clock=clock.body if clock.ok else None,
                  orgs=orgs, orgs_error=orgs_error, methods=FAULT_METHODS, created=created)


def _done(answer, ok_text: str, anchor: str):
    flash("ok" if answer.ok else "error", ok_text if answer.ok else answer.reason)
    return redirect(url_for("console.harness") + "#" + anchor, 303)


def _refused(exc: FormError, anchor: str):
    flash("error", f"{exc} Nothing was changed.")
    return redirect(url_for("console.harness") + "#" + anchor, 303)


@bp.route("/harness/faults/add", methods=["POST"])
def fault_add():
    """Add a fault rule (POST /_mock/faults)."""
    f = request.form
    try:
        rule = {"path": f.get("path", "").strip() or "**",
                "status": form_number("Status", f.get("status"), required=True),
                "times": form_number("Times", f.get("times"))}
    except FormError as exc:
        return _refused(exc, "faults")
    if f.get("method") not in FAULT_METHODS:
        return _refused(FormError("Method: choose one from the list."), "faults")
    rule.update({k: v for k, v in (("method", f.get("method")), ("reason", f.get("reason", "").strip()),
                                   ("orgId", f.get("orgId", "").strip())) if v})
    answer = call("POST", "/_mock/faults", admin=True, json={k: v for k, v in rule.items() if v is not None})
    return _done(answer, f"Fault rule {(answer.body or {}).get('id', '')} added.", "faults")


@bp.route("/harness/faults/<rule_id>/delete", methods=["POST"])
def fault_delete(rule_id):
    """Remove one fault rule."""
    return _done(call("DELETE", f"/_mock/faults/{rule_id}", admin=True), f"Fault rule {rule_id} removed.", "faults")


@bp.route("/harness/faults/clear", methods=["POST"])
def fault_clear():
    """Remove every fault rule."""
    return _done(call("DELETE", "/_mock/faults", admin=True), "Every fault rule removed.", "faults")


@bp.route("/harness/ratelimits/set", methods=["POST"])
def limit_set():
    """Set the default limit or one organisation's (PUT /_mock/ratelimits[/org])."""
    f = request.form
    try:
        body = {"limit": form_number("Limit", f.get("limit"), required=True),
                "windowSeconds": form_number("Window", f.get("windowSeconds"), required=True, kind=float)}
    except FormError as exc:
        return _refused(exc, "ratelimits")
    org = f.get("orgId", "").strip()
    path = f"/_mock/ratelimits/{org}" if org else "/_mock/ratelimits"
    return _done(call("PUT", path, admin=True, json=body),
                 f"Rate limit set: {body['limit']} per {body['windowSeconds']:g} s for {org or 'every organisation'}.",
                 "ratelimits")


@bp.route("/harness/ratelimits/clear", methods=["POST"])
def limit_clear():
    """Switch rate limiting off everywhere."""
    return _done(call("DELETE", "/_mock/ratelimits", admin=True), "Rate limiting is off.", "ratelimits")


@bp.route("/harness/clock", methods=["POST"])
def clock():
    """Freeze, unfreeze, advance or reset the mock clock."""
    action = request.form.get("action")
    if action == "advance":
        try:
            seconds = form_number("Seconds", request.form.get("seconds"), required=True, kind=float)
        except FormError as exc:
            return _refused(exc, "clock")
        return _done(call("POST", "/_mock/clock/advance", admin=True, json={"seconds": seconds}),
                     f"Clock advanced by {seconds:g} s.", "clock")
    calls = {"freeze": ("POST", "/_mock/clock/freeze", {}), "unfreeze": ("POST", "/_mock/clock/unfreeze", None),
             "reset": ("DELETE", "/_mock/clock", None)}
    if action not in calls:
        return _refused(FormError("Clock: unknown action."), "clock")
    method, path, body = calls[action]
    return _done(call(method, path, admin=True, json=body), f"Clock: {action} done.", "clock")


@bp.route("/harness/orgs/create", methods=["POST"])
def org_create():
    """Create an organisation (POST /_mock/orgs); its admins' tokens are shown once, ready to copy."""
    f = request.form
    template = f.get("template", "demo")
    if template not in ("demo", "empty"):
        return _refused(FormError("Template: demo or empty."), "orgs")
    body = {"template": template, "flex3": f.get("flex3") == "yes"}
    if f.get("name", "").strip():
        body["name"] = f["name"].strip()
    answer = call("POST", "/_mock/orgs", admin=True, json=body)
    if not answer.ok:
        return _done(answer, "", "orgs")
    flash("ok", f"Organisation {answer.body['name']} ({answer.body['id']}) created; its people can sign in.")
    return _page(created=answer.body)
