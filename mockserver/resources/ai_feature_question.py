"""Auto-CSAT question (``ai-feature-question``): the survey questions the AI feature's auto-CSAT maps."""
from __future__ import annotations

import marshmallow as ma

from .spec import DTO, Resource, tag


class AutoCSATQuestionDTO(DTO):
    """A question of an Experience Management questionnaire mapped for auto-CSAT."""

    questionId = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    questionnaireId = ma.fields.String(required=True, validate=ma.validate.Length(min=1))


def example(make) -> dict:
    """A question of a questionnaire."""
    return {"questionId": f"q-{tag()}", "questionnaireId": f"qn-{tag()}"}


SPEC = Resource(
    "ai-feature-question", "Auto CSAT Question", AutoCSATQuestionDTO, example,
    v1_list=None,
    paged=("v2/ai-feature/auto-csat/question",),
    create=("ai-feature/auto-csat/question",),
    items={"ai-feature/auto-csat/question/<id>": "GET DELETE"},
    references_path=None,
    bulk={"ai-feature/auto-csat/question/bulk": "POST"},
    unique=("questionId",),
    search=(),
    display=lambda doc: doc.get("questionId"),
)
