"""The vendor's runtime APIs (tasks, agents, statistics, captures, callbacks, monitoring, campaigns,
notifications) as thin views over the activity simulation (``mockserver.activity``)."""
from __future__ import annotations

import os


def register(api, rt) -> None:
    """Attach the runtime APIs and the simulation's control routes to the app."""
    from ..activity.service import Activity
    from . import agents, callbacks, campaigns, captures, dnc, hub, mockviews, monitor, notify, stats, tasks

    rt.activity = Activity(rt)
    rt.activity.hub = hub.Hub(rt.activity)
    rt.keys_secret = os.urandom(32)  # signs capture URLs (valid for this process only)
    rt.reset_hooks = [*getattr(rt, "reset_hooks", []), rt.activity.reset]
    for blp in (agents.blp, tasks.blp, stats.blp, captures.blp, captures.files, callbacks.blp, monitor.blp,
                campaigns.blp, dnc.blp, notify.blp, notify.extra, mockviews.blp):
        api.register_blueprint(blp)
