"""``POST /classify``: ACMG/AMP criteria → a classification with the rule that fired and why."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ... import acmg
from ..errors import ApiProblem

router = APIRouter(tags=["variants"])


class ClassifyRequest(BaseModel):
    criteria: list[str] = Field(
        description="Met ACMG/AMP criteria with optional strength modifiers (ClinGen SVI nomenclature), "
                    "e.g. [\"PVS1\", \"PM2_Supporting\"]; a comma-separated string in one item also works.",
        examples=[["PVS1", "PM2_Supporting"]])
    rules: Literal["table5", "points", "vcep"] = Field(
        "table5", description="Richards 2015 Table 5 with the ClinGen SVI changes, the Tavtigian point scale, or "
                              "the rules of the expert panel / guideline given (vcep).")
    expert_panel: str | None = Field(None, description="For rules=vcep: the ClinGen expert panel, e.g. "
                                                       "\"Phenylketonuria VCEP\".")
    guideline: str | None = Field(None, description="For rules=vcep: the specification URL.")


class ClassifyResponse(BaseModel):
    classification: str
    rule: str
    points: int
    counted: list[str]
    explanation: str
    rule_set: str
    rules_version: str


@router.post("/classify", response_model=ClassifyResponse, summary="Classify a set of ACMG/AMP criteria",
             description="Combines the met criteria by Richards et al. 2015 Table 5 (with ClinGen SVI changes), "
                         "by points (Tavtigian 2018/2020) or by an expert panel's rules, and says which rule "
                         "fired, the point total and which criteria counted. Unknown codes or impossible "
                         "strengths (e.g. BA1_Supporting) answer 422 naming the code.")
def classify(body: ClassifyRequest) -> ClassifyResponse:
    try:
        criteria = acmg.parse_codes(", ".join(body.criteria))
    except acmg.CriterionError as exc:
        raise ApiProblem(422, "Invalid criterion", str(exc)) from exc
    if body.rules == "vcep" and not (body.expert_panel or body.guideline):
        raise ApiProblem(422, "Missing expert panel", "rules=vcep needs expert_panel or guideline")
    if body.rules == "vcep":
        if acmg.vcep_rule(expert_panel=body.expert_panel, guideline=body.guideline) is None:
            raise ApiProblem(422, "Unknown expert panel",
                             f"no rules known for {body.expert_panel or body.guideline!r}")
        result = acmg.classify(criteria, expert_panel=body.expert_panel, guideline=body.guideline)
    else:
        result = acmg.classify(criteria, rules=body.rules)
    return ClassifyResponse(classification=result.classification, rule=result.rule, points=result.points,
                            counted=list(result.counted), explanation=result.explanation,
                            rule_set=result.rule_set, rules_version=result.rules_version)
