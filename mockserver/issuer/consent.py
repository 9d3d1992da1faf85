"""The small HTML pages of the issuer: consent (pick a fixture user) and errors. Everything escaped.

Differs from Webex: no password and no real identity provider; whoever sees the page may sign in as any fixture user.
"""
from __future__ import annotations

from html import escape

from flask import Response

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;color:#222}"
          "select,button{font-size:1rem;padding:.4rem}.scopes code{background:#eee;padding:0 .3rem}")


def consent_page(client: dict, scopes: list, people: list, request_id: str) -> Response:
    """Who signs in, and what the integration gets."""
    options = "".join(
        f'<option value="{escape(p["id"])}">{escape(p.get("displayName", p["id"]))} '
        f'&lt;{escape(p.get("email", ""))}&gt;'
        f' ({escape(", ".join(p.get("roles", [])) or "no admin role")}; {escape(p["orgName"])})</option>'
        for p in people)
    scope_list = " ".join(f"<code>{escape(s)}</code>" for s in scopes)
    html = f"""<!doctype html><html><head><meta charset="utf-8"><title>Webex mock: sign in</title>
<style>{_STYLE}</style></head><body>
<h1>Sign in to the Webex mock</h1>
<p><strong>{escape(client.get("name", client["clientId"]))}</strong> asks for:</p>
<p class="scopes">{scope_list}</p>
<form method="post" action="/v1/authorize">
<input type="hidden" name="request_id" value="{escape(request_id)}">
<label>Sign in as <select name="user" id="user">{options}</select></label>
<p><button name="decision" value="approve" id="approve">Accept</button>
<button name="decision" value="deny" id="deny">Decline</button></p>
</form></body></html>"""
    return Response(html, 200, mimetype="text/html")


def error_page(status: int, text: str) -> Response:
    """An authorization error that must not redirect (unknown client or redirect URI)."""
    html = (f'<!doctype html><html><head><meta charset="utf-8"><title>Authorization error</title>'
            f"<style>{_STYLE}</style></head><body><h1>Authorization error</h1><p>{escape(text)}</p></body></html>")
    return Response(html, status, mimetype="text/html")
