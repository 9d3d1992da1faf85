"""The token issuer at Webex's own paths: /v1/authorize, /v1/access_token, JWKS and discovery.

Differs from Webex: the issuer shares the API's host (Webex authorizes at webexapis.com), and the JWKS and
discovery documents are the mock's own.
"""
from __future__ import annotations

import base64
import hmac
from urllib.parse import unquote_plus, urlencode

from flask import make_response, redirect, request
from flask.views import MethodView

from ..auth import access
from ..auth.policy import parse_scopes
from ..http.apidoc import Blueprint
from ..http.errors import OAuthError, oauth_errors
from ..http.inputs import FORM, form_fields
from ..http.jsonutil import json_response, loads
from ..runtime import current
from .consent import consent_page, error_page
from .grants import GRANTS

blp = Blueprint("issuer", __name__, description="OAuth token issuer (Webex's /v1/authorize and /v1/access_token).")
access.declare(blp, "public", vendor=False)  # webexapis.com, not the Contact Center host
CSRF_COOKIE = "wxcc_mock_consent"


def _client_and_redirect(rt, args):
    """Validate client and redirect URI; failures are a 400 page, never a redirect (RFC 6749 4.1.2.1)."""
    client = rt.integration(args.get("client_id", ""))
    if client is None:
        raise _Page(400, "Unknown client_id: no integration with that id is registered.")
    redirect_uri = args.get("redirect_uri", "")
    if redirect_uri not in client.get("redirectUris", []):
        raise _Page(400, "redirect_uri is not registered for this integration (exact match required).")
    return client, redirect_uri


_REQUIRED = ("response_type", "client_id", "redirect_uri", "scope")


def _html(description: str) -> dict:
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def _oauth(description: str) -> dict:
    """An RFC 6749 error body (the issuer never answers in the Webex shape)."""
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": ["error", "error_description"],
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}}}}}}


class _Page(Exception):
    def __init__(self, status, text):
        super().__init__(text)
        self.status, self.text = status, text


def _redirect(uri: str, **params):
    sep = "&" if "?" in uri else "?"
    return redirect(uri + sep + urlencode({k: v for k, v in params.items() if v is not None}), 302)


def _validate_request(rt, args):
    """Everything after client and redirect: errors here go back to the client by redirect."""
    client, redirect_uri = _client_and_redirect(rt, args)
    state = args.get("state")
    if args.get("response_type") != "code":
        return client, redirect_uri, None, ("unsupported_response_type", "response_type must be 'code'.")
    scopes = parse_scopes(args.get("scope", ""))
    if not scopes:
        return client, redirect_uri, None, ("invalid_scope", "scope is required.")
    refused = [s for s in scopes if s not in client.get("scopes", [])]
    if refused:
        return client, redirect_uri, None, ("invalid_scope", f"This integration may not request: {' '.join(refused)}.")
    method = args.get("code_challenge_method") or ("S256" if args.get("code_challenge") else None)
    if args.get("code_challenge") and method != "S256":
        return client, redirect_uri, None, ("invalid_request", "code_challenge_method must be S256.")
    params = {"client_id": client["clientId"], "redirect_uri": redirect_uri, "scopes": scopes, "state": state,
              "code_challenge": args.get("code_challenge"), "code_challenge_method": method}
    return client, redirect_uri, params, None


def _approve(rt, params, person):
    code = rt.issuer.new_code(params["client_id"], params["redirect_uri"], params["scopes"], person,
                              params["code_challenge"], params["code_challenge_method"])
    return _redirect(params["redirect_uri"], code=code, state=params["state"])


@blp.route("/v1/authorize")
@oauth_errors
class Authorize(MethodView):
    """Authorization endpoint (authorization-code flow, optional PKCE S256)."""

    @blp.doc(summary="Start an authorization: consent page, or straight to the redirect with login_hint",
             parameters=[{"in": "query", "name": n, "schema": {"type": "string"}, "required": n in _REQUIRED}
                         for n in ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                                   "code_challenge_method", "login_hint")],
             responses={"200": _html("Consent page"), "302": {"description": "Redirect to redirect_uri"},
                        "400": _html("Unknown client or redirect URI (no redirect)")})
    def get(self):
        """Show the consent page (or, with ``login_hint``, approve for that fixture user at once)."""
        rt = current()
        try:
            client, redirect_uri, params, err = _validate_request(rt, request.args)
        except _Page as page:
            return error_page(page.status, page.text)
        state = request.args.get("state")
        if err:
            return _redirect(redirect_uri, error=err[0], error_description=err[1], state=state)
        hint = request.args.get("login_hint")
        if hint:
            person = rt.find_person(hint)
            if person is None:
                return _redirect(redirect_uri, error="access_denied",
                                 error_description=f"login_hint {hint!r} names no user.", state=state)
            return _approve(rt, params, person)
        rid = rt.issuer.new_pending(params)
        people = [{**p, "orgId": org, "orgName": (rt.org(org) or {}).get("name", org)}
                  for org in rt.store.orgs() for p in rt.store.list(org, "people")]
        resp = make_response(consent_page(client, params["scopes"], people, rid))
        resp.set_cookie(CSRF_COOKIE, rid, httponly=True, samesite="Strict", path="/v1/authorize")
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @blp.doc(summary="Submit the consent form", responses={"302": {"description": "Redirect to redirect_uri"},
                                                            "400": _html("Form not verified or expired")},
             requestBody={"content": {"application/x-www-form-urlencoded": {"schema": {
                 "type": "object", "required": ["request_id"],
                 "properties": {n: {"type": "string"} for n in ("request_id", "decision", "user")}}}}})
    def post(self):
        """The consent form: CSRF-checked (hidden field and SameSite cookie must match), single use."""
        rt = current()
        rid = request.form.get("request_id", "")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not rid or not hmac.compare_digest(rid.encode(), cookie.encode()):
            return error_page(400, "The consent form could not be verified (missing or mismatched CSRF token).")
        params = rt.issuer.take_pending(rid)
        if params is None:
            return error_page(400, "This consent request has expired or was already answered.")
        if request.form.get("decision") != "approve":
            return _redirect(params["redirect_uri"], error="access_denied",
                             error_description="The user denied the request.", state=params["state"])
        person = rt.find_person(request.form.get("user", ""))
        if person is None:
            return error_page(400, "Pick a user to sign in as.")
        return _approve(rt, params, person)


def _client_credentials(rt, form):
    """Client id and secret from HTTP Basic or the form; 401 invalid_client on any mismatch."""
    client_id, secret, basic = form.get("client_id"), form.get("client_secret"), False
    auth = request.environ.get("HTTP_AUTHORIZATION", "")  # the header, without a Headers view
    if auth.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(auth[6:].strip(), validate=True).decode().partition(":")
            # RFC 6749 2.3.1: both parts are form-urlencoded before Basic encoding.
            client_id, secret, basic = unquote_plus(client_id), unquote_plus(secret), True
        except (ValueError, UnicodeDecodeError):
            raise OAuthError("invalid_client", "Malformed Basic credentials.", 401,
                             {"WWW-Authenticate": 'Basic realm="webex"'}) from None
    headers = {"WWW-Authenticate": 'Basic realm="webex"'} if basic else {}
    client = rt.issuer.client(client_id or "")
    expected = (client or {}).get("clientSecret", "")
    # Compare even for an unknown client, so timing does not reveal which client ids exist.
    ok = hmac.compare_digest((secret or "").encode(), expected.encode() if client else b"\0" * 32)
    if client is None or not secret or not ok:
        raise OAuthError("invalid_client", "Client authentication failed.", 401, headers)
    return client


def _token_form():
    """The token request's fields: form-encoded (the documented way), or a JSON object of the same fields.

    Cisco's published Postman collection refreshes its token with a JSON body (webex-cc-facts.md 3.7); whether
    live accepts it is [U] (runtime facts 8.2): the mock does, so that collection works unchanged.
    """
    mime = request.mimetype
    if mime == FORM:
        return form_fields()
    if mime == "application/json" or mime.endswith("+json"):
        try:
            body = loads(request.get_data(cache=False))
        except ValueError:
            raise OAuthError("invalid_request", "The JSON body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise OAuthError("invalid_request", "The JSON body must be an object of the token request's fields.")
        bad = sorted(k for k, v in body.items() if not isinstance(v, str))
        if bad:
            raise OAuthError("invalid_request", f"{bad[0][:50]} must be a string.")
        return body
    raise OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded (or JSON).")


@blp.route("/v1/access_token")
@oauth_errors
class AccessToken(MethodView):
    """Token endpoint: grants authorization_code and refresh_token (refresh tokens rotate)."""

    @blp.doc(summary="Exchange a code or a refresh token for tokens",
             requestBody={"content": {mime: {"schema": {
                 "type": "object", "properties": {n: {"type": "string"} for n in (
                     "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "client_id",
                     "client_secret", "scope")}}} for mime in ("application/x-www-form-urlencoded",
                                                                "application/json")}},
             responses={"200": {"description": "Token JSON"}, "400": _oauth("RFC 6749 error"),
                        "401": _oauth("invalid_client"), "405": _oauth("Method not allowed"),
                        "default": _oauth("RFC 6749 error")})
    def post(self):
        """Issue tokens (form-encoded body, client credentials in the form or HTTP Basic)."""
        rt = current()
        form = _token_form()
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required.")
        handler = GRANTS.get(grant_type)
        if handler is None:
            raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r} is not supported.")
        client = _client_credentials(rt, form)
        body = handler(rt, rt.base_url(), client, form)
        return json_response(body, 200, {"Cache-Control": "no-store", "Pragma": "no-cache"})


@blp.route("/.well-known/jwks.json")
class Jwks(MethodView):
    """Public signing keys."""

    @blp.doc(summary="JSON Web Key Set of the token signing keys")
    def get(self):
        """The current key and any retired key still in its grace period."""
        return json_response(current().keys.jwks())


@blp.route("/.well-known/openid-configuration")
class Discovery(MethodView):
    """Issuer metadata."""

    @blp.doc(summary="Authorization server metadata (RFC 8414 fields)")
    def get(self):
        """Where the endpoints are and what they support."""
        base = current().base_url()
        return json_response({
            "issuer": base, "authorization_endpoint": f"{base}/v1/authorize",
            "token_endpoint": f"{base}/v1/access_token", "jwks_uri": f"{base}/.well-known/jwks.json",
            "response_types_supported": ["code"], "grant_types_supported": sorted(GRANTS),
            "code_challenge_methods_supported": ["S256"], "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": sorted({s for c in current().store.list("_system", "integration")
                                        for s in c.get("scopes", [])}),
        })


def register(api, rt) -> None:
    """Attach the issuer to an app."""
    api.register_blueprint(blp)

