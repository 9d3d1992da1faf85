"""Auto CSAT question (``auto-csat-question``, deprecated but served): questions under ``auto-csat/{autoCsatId}``."""
from __future__ import annotations

from .ai_feature_question import AutoCSATQuestionDTO, example
from .spec import Resource

SPEC = Resource(
    "auto-csat-question", "Auto CSAT Question (deprecated)", AutoCSATQuestionDTO, example,
    parent=("auto-csat", "autoCsatId"),
    v1_list=None,
    paged=("v2/auto-csat/<autoCsatId>/question",),
    create=("auto-csat/<autoCsatId>/question",),
    items={"auto-csat/<autoCsatId>/question/<id>": "GET DELETE"},
    references_path=None,
    bulk={"auto-csat/<autoCsatId>/question/bulk": "POST"},
    unique=("questionId",),
    search=(),
    display=lambda doc: doc.get("questionId"),
)
