"""API operations of the circles' siting (mounted at /api/circles/ by config/api.py):
``POST /api/circles/siting``: where the next venues and spaces should go. A POST because it
takes a body; it reads only and changes nothing. District officers (any unit) and subdistrict
officers (their area); every other role is refused (403)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema

from culture.circles.siting.plan import SitingQuestion, siting_plan

router = Router(tags=["circles"])


class SitingIn(Schema):
    budget: int | None = Field(
        None, ge=1, le=1000, description="K new facilities (omit: the fewest reaching 100 %)"
    )
    fixed: list[str] = Field(
        default_factory=list, description="candidate codes that must be chosen"
    )
    excluded: list[str] = Field(default_factory=list, description="candidate codes never chosen")
    radius: float | None = Field(None, gt=0, le=20000, description="metres; default: setting")
    unit: str | None = Field(None, description="a subdistrict or community code in your scope")
    rule: str = Field("culture_circle", description="culture_circle or fitness_circle")
    time_limit: float | None = Field(None, gt=0, le=600, description="seconds; default: setting")


class SolverOut(Schema):
    method: str = Field(description='"exact" (integer program) or "heuristic" (greedy)')
    optimal: bool
    gap: float | None
    proof: str
    fallback_reason: str
    bound: float | None
    seconds: float
    time_limit_s: float
    variables: int
    nonzeros: int
    verified: bool


class SiteOut(Schema):
    order: int
    code: str
    name: str
    community: str
    community_name: str
    lon: float
    lat: float
    requirement: str
    requirement_label: str
    must_be: str
    residents_added: int
    residents_served: int
    fixed: bool


class SitingOut(Schema):
    question: str
    budget: int | None
    rule: str
    rule_label: str
    radius_m: float
    unit: dict[str, str] | None
    requirements: list[dict[str, Any]]
    candidates: dict[str, Any]
    solver: SolverOut
    before: dict[str, Any]
    after: dict[str, Any]
    new_facilities: int
    new_places: int
    new_by_requirement: dict[str, int]
    residents_added: int
    failing: dict[str, Any]
    unreachable: dict[str, int]
    sites: list[SiteOut]
    homes: list[dict[str, Any]]


@router.post("/siting", response=SitingOut, summary="选址建议 / siting (reads only)")
def post_siting(request, body: SitingIn):
    question = SitingQuestion(
        budget=body.budget, fixed=tuple(dict.fromkeys(body.fixed)),
        excluded=tuple(dict.fromkeys(body.excluded)), radius_m=body.radius, unit=body.unit,
        rule=body.rule, time_limit_s=body.time_limit,
    )  # fmt: skip
    return siting_plan(viewer=request.user, question=question)
