"""The siting page (/circles/siting/): a GET form (budget, fixed and excluded candidate codes,
radius, unit) and the answer: a table of the suggested sites (what each must be, the residents it
adds) and a map with the failing homes. It changes nothing, so the form is a plain GET (htmx
swaps only the answer when it is there)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from culture.circles.siting.plan import SitingQuestion, codes_from_text, siting_plan
from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit


def _number(value: str, kind: type, field: str, message: str) -> Any:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise ValidationFailed(message, field=field) from None


def _question(get: Any) -> SitingQuestion:
    mode = get.get("mode", "fewest")
    budget = _number(get.get("budget", ""), int, "budget", _("预算须为整数（新增点位个数）"))
    if mode == "budget" and budget is None:
        raise ValidationFailed(_("请填写预算 K（新增点位个数）"), field="budget")
    return SitingQuestion(
        budget=budget if mode == "budget" else None,
        fixed=codes_from_text(get.get("fixed", "")),
        excluded=codes_from_text(get.get("excluded", "")),
        radius_m=_number(get.get("radius", ""), float, "radius", _("半径须为数字（米）")),
        unit=(get.get("unit") or "").strip() or None,
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _subdistricts(viewer: Any) -> list[OrgUnit]:
    scope = viewer_scope(viewer)
    qs = OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT, is_active=True).order_by("code")
    return list(scope.filter(qs, "path"))


@login_required
@require_GET
def siting_page(request):
    scope = viewer_scope(request.user)
    scope.require_staff()
    scope.require_role(Role.DISTRICT_OFFICER, Role.SUBDISTRICT_OFFICER)
    asked = "mode" in request.GET
    result, errors = None, {}
    form = {
        k: request.GET.get(k, "") for k in ("mode", "budget", "fixed", "excluded", "radius", "unit")
    }
    form["mode"] = form["mode"] or "fewest"
    if asked:
        try:
            result = siting_plan(viewer=request.user, question=_question(request.GET))
        except FieldErrors as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        except ValidationFailed as exc:
            errors = {exc.field or "__all__": [str(exc.message)]}
    context = {
        "nav": "circles",
        "form": form,
        "errors": errors,
        "result": result,
        "pct": {
            "before": _pct(result["before"]["share_population"]) if result else "",
            "after": _pct(result["after"]["share_population"]) if result else "",
        },
        "result_json": json.dumps(
            {"sites": result["sites"], "homes": result["homes"]} if result else {},
            ensure_ascii=False,
        ),
        "subdistricts": _subdistricts(request.user) if scope.all_units else [],
        "geojson_url": _geojson_url(result),
        "api_url": "/api/circles/siting",
        "self_url": reverse("circles:siting"),
        "query": urlencode({k: v for k, v in form.items() if v}),
    }
    template = "circles/siting_result.html" if request.htmx and asked else "circles/siting.html"
    return render(request, template, context)


def _geojson_url(result: dict[str, Any] | None) -> str:
    unit = (result or {}).get("unit") or {}
    code = unit.get("code", "")
    unit_row = OrgUnit.objects.filter(code=code).only("level").first() if code else None
    if unit_row is not None and unit_row.level == OrgLevel.SUBDISTRICT:
        query = {"level": OrgLevel.COMMUNITY, "parent": code}
    elif unit_row is not None and unit_row.level == OrgLevel.COMMUNITY:
        query = {"unit": code}
    else:
        query = {"level": OrgLevel.SUBDISTRICT}
    return f"{reverse('org:geojson')}?{urlencode(query)}"
