"""The notification websocket: a ``websockets`` server on the mock's own host (its own port, started on the
first subscription) that pushes the event bus to subscribers in the vendor's desktop-message shape (facts 6).

It runs beside the WSGI server rather than inside it, so it works the same under waitress and granian (neither
hands a WSGI app the raw socket a websocket needs).
"""
from __future__ import annotations

import collections
import json
import logging
import queue
import threading
import urllib.parse
import uuid

log = logging.getLogger("mockserver.activity")
MAX_SUBSCRIPTIONS = 10_000  # subscription ids remembered (all organisations): the oldest is forgotten first
MAX_SUBSCRIPTIONS_PER_ORG = 1_000  # and of one organisation: its own oldest goes, never another's
TRY_AGAIN_LATER = 1013  # RFC 6455: the close code of a connection over the organisation's limit
POLICY = 1008  # RFC 6455 policy violation: a connection over its user's limit, without ``force``
REPLACED = 4409  # the mock's own code (the vendor's is not known, facts 6 [U]): dropped for a newer one (``force``)
#: Facts 6: at most 10 connections per user and clientType with ``allowMultiLogin``; without it, one.
PER_USER, PER_USER_MULTI = 1, 10
KEEPALIVE_TIMEOUT_S = 16  # facts 6: the server drops a keep-alive socket after 16 s of silence

#: Bus event -> (outer type, data.type) of the desktop message (facts 4.3 and 5.1, SDK names).
DESKTOP = {
    "agent:login": ("StationLogin", "AgentStationLoginSuccess"), "agent:logout": ("Logout", "AgentLogoutSuccess"),
    "agent:state_change": ("AgentStateChange", "AgentStateChangeSuccess"),
    "task:connect": ("RoutingMessage", "AgentOfferContact"), "task:connected": ("RoutingMessage",
                                                                              "AgentContactAssigned"),
    "task:on-hold": ("RoutingMessage", "AgentContactHeld"), "task:hold-done": ("RoutingMessage", "AgentContactUnheld"),
    "task:consulting": ("RoutingMessage", "AgentConsultCreated"),
    "task:consult-done": ("RoutingMessage", "AgentConsultEnded"),
    "task:conferencing": ("RoutingMessage", "AgentConsultConferenced"),
    "task:conference-done": ("RoutingMessage", "ParticipantLeftConference"),
    "task:conference-transferred": ("RoutingMessage", "AgentConsultTransferred"),
    "task:ended": ("RoutingMessage", "AgentWrapup"),
}


def message(event) -> dict | None:
    """The desktop message for a bus event (None: not an agent's concern); desktop-only events pass as named."""
    outer, inner = DESKTOP.get(event.type, (None, None))
    if outer is None and ":" in event.type:
        return None
    outer, inner = outer or "AgentDesktopMessage", inner or event.type
    kind = "RoutingMessage" if outer == "RoutingMessage" else "AgentDesktopMessage"
    data = {"eventType": kind, "type": inner, "orgId": event.org_id, "trackingId": event.id, **event.data}
    if "taskId" in event.data:
        data.update(interactionId=event.data["taskId"], mediaResourceId=event.data["taskId"])
    return {"type": outer, "orgId": event.org_id, "trackingId": event.id, "data": data}


class _Refused(Exception):
    """A connection over a limit: the close code and reason it gets, and whose limit (``org`` or ``user``)."""

    def __init__(self, code: int, reason: str, scope: str):
        super().__init__(reason)
        self.code, self.reason, self.scope = code, reason, scope


class Hub:
    """Subscriptions by id, live connections, and the server thread."""

    def __init__(self, activity, host: str = "127.0.0.1", port: int = 0):
        self.activity, self.host, self.port = activity, host, port
        config = activity.rt.config
        self.per_org, self.queue_size = config.websocket_connections_per_org, config.websocket_queue_size
        self.dropped: dict[str, int] = {}  # connection id -> messages its queue lost (a slow reader)
        self.subs: collections.OrderedDict = collections.OrderedDict()
        self._org_subs: dict[str, collections.OrderedDict] = {}  # org -> its subscription ids, oldest first
        self.conns: dict[str, tuple[dict, queue.Queue]] = {}  # in the order they opened
        self.kicked: dict[str, tuple[int, str]] = {}  # connection id -> (close code, reason): to close at once
        self._lock = threading.Lock()
        self._server = None
        activity.bus.subscribe(self._fan_out, self.listens)
        activity.desktop.subscribe(self._fan_out)

    def add(self, sid: str, info: dict) -> None:
        with self._lock:
            self.subs[sid] = info
            mine = self._org_subs.setdefault(info["org"], collections.OrderedDict())
            mine[sid] = None
            while len(mine) > MAX_SUBSCRIPTIONS_PER_ORG:
                self.subs.pop(mine.popitem(last=False)[0], None)
            while len(self.subs) > MAX_SUBSCRIPTIONS:
                old, was = self.subs.popitem(last=False)
                self._org_subs.get(was["org"], {}).pop(old, None)

    def base_url(self, request_host: str) -> str:
        """``ws://<the request's host name>:<the socket port>``, starting the server if needed."""
        self.start()
        name = request_host.rsplit(":", 1)[0] if not request_host.endswith("]") else request_host
        return f"ws://{name}:{self._server.socket.getsockname()[1]}"

    def start(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            from websockets.sync.server import serve

            self._server = serve(self._handle, self.host, self.port, logger=log)
            threading.Thread(target=self._server.serve_forever, name="wxcc-websocket", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    def listens(self, org: str) -> bool:
        """Whether a websocket of the org is connected (else its events need not be built: ``EventBus.listening``)."""
        return any(info["org"] == org for info, _ in list(self.conns.values()))

    def _fan_out(self, event) -> None:
        msg = None
        for cid, (info, q) in list(self.conns.items()):
            if info["org"] != event.org_id:
                continue
            if info["kind"] == "notification" and not self._mine(info, event):
                continue
            msg = msg or message(event) or ({"type": event.type, "orgId": event.org_id, "trackingId": event.id,
                                             "data": event.data} if info["kind"] == "realtime" else None)
            if msg is None:
                continue
            if q.full():  # a slow reader loses its oldest message, never the simulation its pace
                try:
                    q.get_nowait()
                    self._lost(cid, info)
                except queue.Empty:
                    pass
            q.put_nowait(msg)

    def _lost(self, cid: str, info: dict) -> None:
        lost = self.dropped[cid] = self.dropped.get(cid, 0) + 1
        if lost == 1 or lost % 1000 == 0:
            log.warning("websocket %s of organization %s reads too slowly: %d oldest message(s) dropped so far "
                        "(its queue holds MOCKSERVER_WEBSOCKET_QUEUE_SIZE=%d)", cid, info["org"], lost,
                        self.queue_size)

    def _register(self, info: dict, force: bool = False) -> tuple[str, queue.Queue]:
        """A new connection's id and queue; ``_Refused`` when its organisation already has its share, or its user
        and clientType theirs (facts 6: 1, or 10 with ``allowMultiLogin``) and ``force`` does not replace the
        oldest of them."""
        with self._lock:
            open_ = [(cid, i) for cid, (i, _) in self.conns.items() if i["org"] == info["org"]
                     and cid not in self.kicked]
            key = (info.get("user"), info.get("clientType"), info.get("kind"))
            same = [cid for cid, i in open_ if (i.get("user"), i.get("clientType"), i.get("kind")) == key]
            limit = PER_USER_MULTI if info.get("multi") else PER_USER
            if len(same) >= limit and not (force or info.get("force")):
                raise _Refused(POLICY, f"too many websocket connections for this user and clientType ({limit}; "
                                       "allowMultiLogin allows 10, force replaces the oldest)", "user")
            over = same[: max(0, len(same) - limit + 1)]  # force: the oldest that make room
            if len(open_) - len(over) >= self.per_org:
                raise _Refused(TRY_AGAIN_LATER, f"too many websocket connections for this organization "
                                                f"({self.per_org}; close one first)", "org")
            for cid in over:  # they go, with a code saying why
                self.kicked[cid] = (REPLACED, "replaced by a newer connection of this user and clientType (force)")
            cid, q = str(uuid.uuid4()), queue.Queue(self.queue_size)
            self.conns[cid] = (info, q)
            return cid, q

    def _mine(self, info: dict, event) -> bool:
        center = self.activity.peek(info["org"])
        agent = center.tenant.by_ci.get(info["user"], info["user"]) if center else info["user"]
        return event.data.get("agentId") in (agent, info["user"])

    def _handle(self, ws) -> None:
        path = ws.request.path.split("?", 1)[0].rstrip("/")
        parts = path.split("/")
        info = self.subs.get(parts[-1]) if len(parts) == 5 and parts[3] == "subscription" else None
        if info is None or parts[2] != info["kind"]:
            ws.close(4404, "unknown subscription")
            return
        query = urllib.parse.parse_qs(ws.request.path.partition("?")[2])
        force = query.get("force", [""])[-1].lower() == "true"  # the vendor's samples also ask on the URL (facts 6)
        try:
            cid, q = self._register(info, force)
        except _Refused as exc:
            if exc.scope == "org":
                log.warning("websocket refused: organization %s has %d open connections "
                            "(MOCKSERVER_WEBSOCKET_CONNECTIONS_PER_ORG)", info["org"], self.per_org)
            else:
                log.warning("websocket refused: user %s of organization %s already has its connections of "
                            "clientType %s open (%s)", info.get("user"), info["org"], info.get("clientType"),
                            exc.reason)
            ws.close(exc.code, exc.reason)
            return
        try:
            with self.activity.center(info["org"]) as center:
                agent = center.tenant.by_ci.get(info["user"], info["user"])
            ws.send(json.dumps({"type": "Welcome", "data": {"agentId": info["user"], "userId": agent}}))
            silent = 0.0
            while True:
                kicked = self.kicked.pop(cid, None)
                if kicked is not None:
                    ws.close(*kicked)
                    return
                try:
                    ws.send(json.dumps(q.get(timeout=0.2)))
                    continue
                except queue.Empty:
                    self.activity.tick()  # live mode: the simulation follows the clock while sockets listen
                try:
                    got = ws.recv(timeout=0)
                    silent = 0.0
                    if "keepalive" in got:
                        ws.send(json.dumps({"keepalive": "true"}))
                except TimeoutError:
                    silent += 0.2
                    if info["keepalive"] and silent > KEEPALIVE_TIMEOUT_S:
                        ws.close(4000, "keepalive timeout")
                        return
        except Exception:  # the client went away: nothing to clean but our own entry
            log.debug("websocket %s closed", cid)
        finally:
            self.conns.pop(cid, None)
            self.kicked.pop(cid, None)
            lost = self.dropped.pop(cid, 0)
            if lost:
                log.warning("websocket %s closed after losing %d message(s) to a full queue", cid, lost)
