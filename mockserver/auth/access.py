"""Routes state their access rule where they are declared; the app builds one endpoint -> rule table from that.

    access.declare(blp, "config")              # every route of a blueprint
    access.declare(blp, "public", vendor=False)  # the mock's own routes (not in the vendor's spec)
    @access.rule("flow-import")                # one view (MethodView class or function): overrides the blueprint

Closed by default: ``table(app)`` raises ``UndeclaredAccess`` naming every endpoint without a rule, so
``create_app`` refuses to build an app with a route nobody thought about.
"""
from __future__ import annotations

from dataclasses import dataclass

from .policy import RULES, Rule

_ATTR = "_wxcc_access"


class UndeclaredAccess(RuntimeError):
    """A registered route has no access rule."""


@dataclass(frozen=True)
class Access:
    """The rule of one endpoint, and whether the route claims to be the vendor's (else the mock's own)."""

    rule: Rule
    vendor: bool


def _check(name: str) -> str:
    if name not in RULES:
        raise UndeclaredAccess(f"unknown access rule {name!r}; the rules are: {', '.join(sorted(RULES))}")
    return name


def declare(blp, rule: str, vendor: bool = True):
    """Give every route of ``blp`` the rule named ``rule``; ``vendor=False`` marks the mock's own routes."""
    setattr(blp, _ATTR, (_check(rule), vendor))
    return blp


def rule(name: str, vendor: bool | None = None):
    """Decorator for one view: its own rule instead of its blueprint's (``vendor`` None: the blueprint's)."""
    _check(name)

    def mark(view):
        setattr(view, _ATTR, (name, vendor))
        return view
    return mark


def _declared(app, endpoint: str, view):
    own = getattr(view, _ATTR, None) or getattr(getattr(view, "view_class", None), _ATTR, None)
    blp = app.blueprints.get(endpoint.rpartition(".")[0])
    inherited = getattr(blp, _ATTR, None)
    if own is None:
        return inherited
    name, vendor = own
    return name, vendor if vendor is not None else (inherited[1] if inherited else True)


def table(app) -> dict[str, Access]:
    """``endpoint -> Access`` for every view of ``app``; raises when any has no rule."""
    out, missing = {}, []
    for endpoint, view in app.view_functions.items():
        found = _declared(app, endpoint, view)
        if found is None:
            rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint]
            missing.append(f"{endpoint} ({', '.join(rules) or 'no URL'})")
            continue
        out[endpoint] = Access(RULES[found[0]], found[1])
    if missing:
        raise UndeclaredAccess("routes without an access rule (declare one with mockserver.auth.access.declare "
                               "or @access.rule): " + "; ".join(sorted(missing)))
    return out


def install(app) -> dict[str, Access]:
    """Build and keep the app's table (after every blueprint is registered)."""
    app.extensions["wxcc_access"] = found = table(app)
    return found


def of(app, endpoint: str | None) -> Access | None:
    """The access of an endpoint of ``app``, or None (an unrouted request)."""
    return app.extensions["wxcc_access"].get(endpoint) if endpoint else None


def add_url_rule(app, path: str, endpoint: str, view, rule_name: str, vendor: bool = True, **options) -> None:
    """Add a route to a built app with its rule (tests' probe routes; the table is kept current)."""
    rule(rule_name, vendor)(view)
    app.add_url_rule(path, endpoint, view, **options)
    install(app)
