"""The simulated Control Hub pages: Integrations > Connectors, the set-up form, one connector, its lifecycle.

Every read and change is a call to /controlhub/... with the signed-in person's token, so the role table (R3-R5),
the licence check (R2) and the lifecycle rules (R7-R15) are the API's; a refusal shows the API's reason.
"""
from __future__ import annotations

from flask import redirect, request, url_for

from ..connectors.service import LEVELS
from .client import call
from .web import bp, flash, me, render, signed_in

LEVEL_LABELS = {"READ_ONLY": "Read-only access", "READ_WRITE": "Read/write access"}
LEVEL_HELP = {"READ_ONLY": "GET API calls", "READ_WRITE": "GET, POST, PUT, PATCH and DELETE API calls"}
# Control Hub's labels spell scopes with an underscore (seed step 5); the API issues the colon form (R8).
LEVEL_SCOPES = {k: [s.replace(":", "_", 1) for s in v["scopes"]] for k, v in LEVELS.items()}
DEACTIVATE_WARNING = ("Deactivating does not delete the connector's settings and configuration; you can "
                      "reactivate it at any time. It pauses call routing for every flow that uses it: deactivate "
                      "it outside business hours.")
DELETE_WARNING = ("After deletion, scripts that are running may stop working, and the system removes the "
                  "connector's functions from the workflows that used it. This cannot be undone.")
MAX_NAME = 200  # longer input is refused here; the API's own limit (80) gives its reason below that


def _base() -> str:
    return f"/controlhub/organization/{me()['orgId']}/connectors"


def _token() -> str:
    return me()["token"]


def _levels() -> list[dict]:
    return [{"value": k, "label": LEVEL_LABELS[k], "help": LEVEL_HELP[k], "scopes": LEVEL_SCOPES[k]} for k in LEVELS]


def _flex3() -> bool | None:
    """Whether the organisation has Flex 3 (R2), from the control API; None when it cannot tell."""
    answer = call("GET", f"/_mock/orgs/{me()['orgId']}", admin=True)
    return answer.body.get("flex3") if answer.ok and isinstance(answer.body, dict) else None


@bp.route("/connectors")
@signed_in
def connectors():
    """Integrations > Connectors: the Webex Contact Center card, active and inactive connectors."""
    answer = call("GET", _base(), token=_token(), query={"pageSize": 1000})
    if not answer.ok:
        return render("connectors.html", answer.status, refusal=answer.reason, active=[], inactive=[], flex3=None)
    items = answer.body.get("data", [])
    return render("connectors.html", active=[c for c in items if c.get("active")],
                  inactive=[c for c in items if not c.get("active")], refusal=None, flex3=_flex3(),
                  total=len(items))


@bp.route("/connectors/new", methods=["GET", "POST"])
@signed_in
def connector_new():
    """The set-up tab: Name, access level with its scopes, the "I authorize" consent, "Add connector"."""
    values = {"name": "", "accessLevel": "READ_ONLY", "consent": False}
    if request.method == "GET":
        return render("connector_new.html", values=values, levels=_levels(), error=None, flex3=_flex3())
    values = {"name": request.form.get("name", ""), "accessLevel": request.form.get("accessLevel", ""),
              "consent": request.form.get("consent") == "yes"}
    error = _form_error(values)
    if error:
        return render("connector_new.html", 400, values=values, levels=_levels(), error=error, flex3=_flex3())
    answer = call("POST", _base(), token=_token(), json={**values, "type": "WEBEX_CONTACT_CENTER"})
    if not answer.ok:
        return render("connector_new.html", answer.status or 502, values=values, levels=_levels(),
                      error=answer.reason, flex3=_flex3())
    flash("ok", f"Connector {answer.body['name']!r} added. Its connector ID is {answer.body['id']}; "
                "it can never change.")
    return redirect(url_for("console.connector", connector_id=answer.body["id"]), 303)


def _form_error(values: dict) -> str | None:
    """What the form itself got wrong (the API judges the rest)."""
    if len(values["name"]) > MAX_NAME:
        return f"Name: at most {MAX_NAME} characters."
    if values["accessLevel"] not in LEVELS:
        return "Access level: choose read-only access or read/write access."
    return None


def _load(connector_id: str):
    return call("GET", f"{_base()}/{connector_id}", token=_token())


def _affected_flows(connector_id: str) -> list[dict]:
    """Flows with an HTTP Request activity through this connector (the control API's flow status)."""
    answer = call("GET", f"/_mock/flows/{me()['orgId']}/status", admin=True)
    if not answer.ok or not isinstance(answer.body, list):
        return []
    return [f for f in answer.body if any(a.get("connectorId") == connector_id for a in f.get("activities", []))]


@bp.route("/connectors/<connector_id>")
@signed_in
def connector(connector_id):
    """One connector: its card, the Active switch, edit (inactive only), delete (inactive only), audit log."""
    answer = _load(connector_id)
    if not answer.ok:
        return render("error.html", answer.status or 502, title="Connector", reason=answer.reason)
    audit = call("GET", f"{_base()}/audit-log", token=_token(), query={"connectorId": connector_id, "pageSize": 200})
    return render("connector.html", c=answer.body, levels=_levels(), level_labels=LEVEL_LABELS,
                  audit=list(reversed(audit.body.get("data", []))) if audit.ok else [],
                  audit_error=None if audit.ok else audit.reason, error=None, flows=_affected_flows(connector_id))


@bp.route("/connectors/<connector_id>/active", methods=["POST"])
@signed_in
def connector_active(connector_id):
    """The Active switch: a confirmation step with the warning, then deactivate or reactivate."""
    want = request.form.get("want")
    if want not in ("deactivate", "reactivate"):
        flash("error", "The Active switch sent neither deactivate nor reactivate; nothing was changed.")
        return redirect(url_for("console.connector", connector_id=connector_id), 303)
    if request.form.get("confirm") != "yes":
        answer = _load(connector_id)
        if not answer.ok:
            return render("error.html", answer.status or 502, title="Connector", reason=answer.reason)
        return render("confirm.html", c=answer.body, action=want, warning=DEACTIVATE_WARNING,
                      flows=_affected_flows(connector_id), target=url_for("console.connector_active",
                                                                          connector_id=connector_id))
    answer = call("POST", f"{_base()}/{connector_id}/{want}", token=_token())
    flash("ok" if answer.ok else "error", answer.body["message"] if answer.ok else answer.reason)
    return redirect(url_for("console.connector", connector_id=connector_id), 303)


@bp.route("/connectors/<connector_id>/edit", methods=["POST"])
@signed_in
def connector_edit(connector_id):
    """Save the settings of an inactive connector (R11): name and access level; the id never changes."""
    values = {"name": request.form.get("name", ""), "accessLevel": request.form.get("accessLevel", "")}
    error = _form_error(values)
    body = dict(values)
    if request.form.get("version", "").isdigit():
        body["version"] = int(request.form["version"])  # a stale form gets the API's 409, never a lost update
    answer = None if error else call("PUT", f"{_base()}/{connector_id}", token=_token(), json=body)
    if answer is not None and answer.ok:
        flash("ok", f"Connector saved as {answer.body['name']!r}.")
        return redirect(url_for("console.connector", connector_id=connector_id), 303)
    current = _load(connector_id)
    if not current.ok:
        return render("error.html", current.status or 502, title="Connector", reason=current.reason)
    audit = call("GET", f"{_base()}/audit-log", token=_token(), query={"connectorId": connector_id, "pageSize": 200})
    return render("connector.html", 400 if error else (answer.status or 502), c=current.body, levels=_levels(),
                  level_labels=LEVEL_LABELS, audit=list(reversed(audit.body.get("data", []))) if audit.ok else [],
                  audit_error=None, error=error or answer.reason, flows=_affected_flows(connector_id),
                  values=values)


@bp.route("/connectors/<connector_id>/delete", methods=["POST"])
@signed_in
def connector_delete(connector_id):
    """The delete icon of an inactive connector: the warning first, then DELETE."""
    if request.form.get("confirm") != "yes":
        answer = _load(connector_id)
        if not answer.ok:
            return render("error.html", answer.status or 502, title="Connector", reason=answer.reason)
        return render("confirm.html", c=answer.body, action="delete", warning=DELETE_WARNING,
                      flows=_affected_flows(connector_id),
                      target=url_for("console.connector_delete", connector_id=connector_id))
    answer = call("DELETE", f"{_base()}/{connector_id}", token=_token())
    if not answer.ok:
        flash("error", answer.reason)
        return redirect(url_for("console.connector", connector_id=connector_id), 303)
    flash("ok", f"Connector {connector_id} deleted.")
    return redirect(url_for("console.connectors"), 303)
