"""指标口径: every named definition with its current value and default; district officers change
or reset them (each change is audited and recomputes the current year), others read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.standards import selectors_reporting as selectors
from culture.standards.definitions import DEFINITION_BY_KEY
from culture.standards.forms import DefinitionForm, show_value
from culture.standards.services import definitions as services
from culture.standards.views.common import apply_errors, tabs


def _can_edit(user: Any) -> bool:
    scope = viewer_scope(user)
    return not scope.is_read_only and (scope.is_superuser or scope.has_role(Role.DISTRICT_OFFICER))


def _page(request, bound: DefinitionForm | None = None, status: int = 200):
    can_edit = _can_edit(request.user)
    english = (translation.get_language() or "").startswith("en")
    rows = []
    for row in selectors.definition_rows(viewer=request.user):
        form = None
        if can_edit:
            if bound is not None and bound.definition.key == row.definition.key:
                form = bound
            else:
                form = DefinitionForm(definition=row.definition, current=row.value)
        rows.append(
            {
                "row": row,
                "label": row.definition.label_en if english else row.definition.label_zh,
                "help": row.definition.help_en if english else row.definition.help_zh,
                "value": show_value(row.definition, row.value),
                "default": show_value(row.definition, row.default),
                "form": form,
            }
        )
    return render(
        request,
        "standards/definitions.html",
        {**tabs(request.user, "definitions"), "rows": rows, "can_edit": can_edit},
        status=status,
    )


@login_required
@require_GET
def definition_list(request):
    return _page(request)


def _definition(key: str):
    definition = DEFINITION_BY_KEY.get(key)
    if definition is None:
        raise NotFound(_("没有名为“%(key)s”的指标口径") % {"key": key})
    return definition


@login_required
@require_POST
def definition_set(request, key: str):
    viewer_scope(request.user).require_staff()
    definition = _definition(key)
    if not _can_edit(request.user):
        raise OutOfScope(_("指标口径只能由区文旅局干部修改"))
    form = DefinitionForm(request.POST, definition=definition, current=None)
    if form.is_valid():
        try:
            services.definition_set(
                actor=request.user, key=key, value=form.cleaned_data["value"], request=request
            )
        except OutOfScope:
            raise
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已修改“%(label)s”，评估结果将重新计算") % {"label": definition.label_zh},
            )
            return redirect("standards:definition_list")
    return _page(request, bound=form, status=422)


@login_required
@require_POST
def definition_reset(request, key: str):
    viewer_scope(request.user).require_staff()
    definition = _definition(key)
    services.definition_reset(actor=request.user, key=key, request=request)
    messages.success(request, _("“%(label)s”已恢复默认值") % {"label": definition.label_zh})
    return redirect("standards:definition_list")
