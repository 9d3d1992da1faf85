"""Team (``team``): agents grouped under a site; capacity teams stand for external agents."""
from __future__ import annotations

from .spec import DTO, Bool, Ids, Int, Nest, Ref, Resource, Str, tag


class QueueRankingDTO(DTO):
    """The team's rank for one queue."""

    queueId = Str(required=True)
    rank = Int(required=True, max=50)


class TeamDTO(DTO):
    """A team."""

    name = Str(required=True)
    teamType = Str(required=True, enum=("AGENT", "CAPACITY"))
    teamStatus = Str(required=True, enum=("IN_SERVICE", "NOT_AVAILABLE"))
    dialedNumber = Str()
    capacity = Int()
    active = Bool(required=True)
    siteId = Str(required=True)
    siteName = Str(metadata={"description": "Read-only: the site's name."})
    desktopLayoutId = Str()
    skillProfileId = Str()
    multiMediaProfileId = Str()  # the vendor's capital M (site and user use multimediaProfileId)
    userIds = Ids()
    description = Str(max=255)
    systemDefault = Bool()
    rankQueuesForTeam = Bool(required=True)
    queueRankings = Nest(QueueRankingDTO, many=True)


def example(make) -> dict:
    """A minimal valid agent team."""
    return {"name": f"Team {tag()}", "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": True,
            "siteId": make("site"), "rankQueuesForTeam": False}


SPEC = Resource(
    "team", "Team", TeamDTO, example,
    refs=(Ref("siteId", "site"), Ref("skillProfileId", "skill-profile"),
          Ref("multiMediaProfileId", "multimedia-profile"), Ref("desktopLayoutId", "desktop-layout"),
          Ref("userIds[]", "user"), Ref("queueRankings[].queueId", "contact-service-queue")),
    immutable=("teamType", "siteId"),
    list_drop=("userIds", "queueRankings"),
    filter_alias={"userId": "userIds"},  # "Use userId field to filter teams associated to provided user"
    search=("name", "description"),
    readonly=("siteName",),
    derived=(("siteId", "site", "siteName"),), purge=True)
