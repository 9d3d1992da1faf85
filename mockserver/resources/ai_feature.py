"""AI feature (``ai-feature``): the organisation's AI settings, one object per organisation, read and patched."""
from __future__ import annotations

from .spec import DTO, Bool, Child, Nest, Ref, Resource, Str

INCLUSION = ("ALL", "SPECIFIC")


def _sub(doc: str, **fields):
    """A sub-feature DTO class (they all refuse unknown fields)."""
    return type(doc.split(":")[0], (Child,), {"__doc__": doc, **fields})


RealtimeTranscripts = _sub("RealtimeTranscriptsDTO: live transcripts.", enable=Bool(required=True),
                           agentInclusionType=Str(enum=INCLUSION), queuesInclusionType=Str(enum=INCLUSION))
SuggestedResponses = _sub("SuggestedResponsesDTO: suggested answers.", enable=Bool(required=True))
GeneratedSummaries = _sub("AiGeneratedSummariesDTO: generated summaries.", callDropSummariesEnabled=Bool(),
                          virtualAgentTransferSummariesEnabled=Bool(), consultTransferSummariesEnabled=Bool(),
                          wrapUpSummariesEnabled=Bool(), queuesInclusionType=Str(enum=INCLUSION))
AgentWellbeing = _sub("AgentWellbeingDTO: burnout detection.", enable=Bool(required=True),
                      agentInclusionType=Str(required=True, enum=INCLUSION),
                      wellnessBreakReminders=Str(enum=("DISABLED", "ENABLED")))
AutoCsat = _sub("AiAutoCSATDTO: automatic CSAT.", enable=Bool(required=True), queuesInclusionType=Str(enum=INCLUSION),
                selectedGlobalVariableId=Str(), surveyDataSource=Str(enum=("EXPERIENCE_MANAGEMENT", "GLOBAL_VARIABLE")))
Toggle = {name: _sub(f"{name}DTO: on or off.", enable=Bool(required=True))
          for name in ("CoachingInsights", "EvaluationsAnalytics")}
Queues = {name: _sub(f"{name}DTO: on or off, for all or some queues.", enable=Bool(required=True),
                     queuesInclusionType=Str(enum=INCLUSION)) for name in ("SentimentAnalysis", "PredictedWaitTime")}
Routing = _sub("PersonalizedAIRoutingDTO: routing by a trained model.", enable=Bool(), cjdsWorkspaceId=Str(),
               cjdsProfileTemplateId=Str())


class AiFeatureDTO(DTO):
    """The AI features of an organisation."""

    realtimeTranscripts = Nest(RealtimeTranscripts)
    suggestedResponses = Nest(SuggestedResponses)
    generatedSummaries = Nest(GeneratedSummaries)
    agentWellbeing = Nest(AgentWellbeing)
    autoCSAT = Nest(AutoCsat)
    coachingInsights = Nest(Toggle["CoachingInsights"])
    evaluationsAndAnalytics = Nest(Toggle["EvaluationsAnalytics"])
    sentimentAnalysis = Nest(Queues["SentimentAnalysis"])
    predictedWaitTime = Nest(Queues["PredictedWaitTime"])
    personalizedAIRouting = Nest(Routing)


def example(make) -> dict:
    """The settings of a new organisation (the object comes with the organisation: no create)."""
    return {"realtimeTranscripts": {"enable": False}, "suggestedResponses": {"enable": False},
            "generatedSummaries": {"wrapUpSummariesEnabled": True, "queuesInclusionType": "ALL"},
            "agentWellbeing": {"enable": False, "agentInclusionType": "ALL"},
            "autoCSAT": {"enable": False, "queuesInclusionType": "ALL"}}


SPEC = Resource(
    "ai-feature", "AI Feature", AiFeatureDTO, example,
    can_create=False, can_delete=False,
    v1_list=None,
    items={"ai-feature/<id>": "GET PATCH"},
    references_path=None,
    bulk={},
    unique=(),
    refs=(Ref("autoCSAT.selectedGlobalVariableId", "cad-variable"),),
    search=(),
)
