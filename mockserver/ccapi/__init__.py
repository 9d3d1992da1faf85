"""The vendor's runtime APIs (tasks, agents, statistics, captures, callbacks, monitoring, campaigns,
notifications) as thin views over the activity simulation (``mockserver.activity``)."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach the runtime APIs and the simulation's control routes to the app."""
    from . import agents, callbacks, campaigns, captures, dnc, mockviews, monitor, notify, stats, tasks

    for blp in (agents.blp, tasks.blp, stats.blp, captures.blp, captures.files, callbacks.blp, monitor.blp,
                campaigns.blp, dnc.blp, notify.blp, notify.extra, mockviews.blp):
        api.register_blueprint(blp)
