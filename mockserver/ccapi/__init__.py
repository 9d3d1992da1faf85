"""The vendor's runtime APIs (tasks, agents, statistics, captures, callbacks, monitoring, campaigns,
notifications) as thin views over the activity simulation (``mockserver.activity``)."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach the runtime APIs and the simulation's control routes to the app."""
    from ..activity.service import Activity
    from . import agents, mockviews, stats, tasks

    rt.activity = Activity(rt)
    rt.reset_hooks = [*getattr(rt, "reset_hooks", []), rt.activity.reset]
    for module in (agents, tasks, stats, mockviews):
        api.register_blueprint(module.blp)
