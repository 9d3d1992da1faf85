"""Over real HTTP (loopback): a flow run still dispatches in-process, under the server's own base URL."""
from __future__ import annotations

import requests

from mockserver.testing import LiveServer

from ..conftest import DEMO_ORG
from .helpers import FLOW_ID, PROJECT, http_activity, outputs


def test_run_over_http_uses_the_servers_base_url(app):
    with LiveServer(app) as server, requests.Session() as http:  # the session closes before the server stops
        http.headers["Connection"] = "close"
        token = http.post(f"{server.url}/_mock/tokens", json={"user": "full.admin@acme.example"},
                              timeout=10).json()["access_token"]
        direct = {"name": "Direct", "authenticated": False, "httpRequestMethod": "GET",
                  "httpRequestUrl": f"{server.url}/flow-store/{DEMO_ORG}/project/{PROJECT}/flows",
                  "httpRequestHeaders": {"Authorization": f"Bearer {token}"},
                  "outputVariableArray": outputs(first="$[0].id")}
        via = http_activity(outputVariableArray=outputs(first="$[0].id"))
        for activity in (direct, via):
            body = http.post(f"{server.url}/_mock/flows/{DEMO_ORG}/run-activity", json={"activity": activity},
                                 timeout=10).json()
            assert body["results"][0]["httpStatusCode"] == 200 and body["variables"]["first"] == FLOW_ID
        refused = http.post(f"{server.url}/_mock/flows/{DEMO_ORG}/run-activity", timeout=10, json={
            "activity": {**direct, "httpRequestUrl": "http://localhost/flow-store/x"}})
        assert refused.status_code == 400 and server.url in refused.json()["error"]["reason"]
