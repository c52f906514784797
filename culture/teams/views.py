"""Pages of cultural teams, organisations and partners, culture households and talents: lists
with filters and export links, details, and create/edit forms (writes through the services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from culture.core.errors import ServiceError
from culture.core.scope import viewer_scope
from culture.teams import selectors, services
from culture.teams.forms import (
    OrganisationForm,
    PersonRecordForm,
    TeamForm,
    apply_service_error,
)
from culture.teams.models import OrganisationKind, TeamKind

PAGE_SIZE = 30


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _can_write(request, path: str | None = None) -> bool:
    scope = viewer_scope(request.user)
    if scope.is_read_only:
        return False
    return (
        bool(scope.writes_all or scope.write_paths) if path is None else scope.can_write_path(path)
    )


def _require_writer(request) -> None:
    scope = viewer_scope(request.user)
    scope.require_staff()
    if scope.is_read_only or not (scope.writes_all or scope.write_paths):
        scope.require_write("")


def _form_page(
    request,
    *,
    form: Any,
    obj: Any,
    save: Callable[[dict[str, Any]], Any],
    template: str,
    context: dict[str, Any],
    done: Callable[[Any], Any],
    saved_message: Any,
):
    if request.method == "POST" and form.is_valid():
        try:
            saved, _status = save(form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, saved_message % {"name": saved.name})
            return done(saved)
    status = 422 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form, "obj": obj}, status=status)


# ----- teams -------------------------------------------------------------------------------------
@login_required
@require_GET
def team_list(request):
    qs = selectors.team_list(viewer=request.user, filters=request.GET)
    return render(
        request,
        "teams/team_list.html",
        {
            "nav": "teams",
            "page": _page(request, qs),
            "filters": request.GET,
            "kinds": TeamKind.choices,
            "kind_counts": selectors.team_kind_counts(viewer=request.user, filters=request.GET),
            "coverage": selectors.core_kind_coverage(viewer=request.user),
            "units": selectors.units_for_filter(viewer=request.user),
            "can_edit": _can_write(request),
        },
    )


@login_required
@require_GET
def team_detail(request, code: str):
    team = selectors.team_get(viewer=request.user, code=code)
    return render(
        request,
        "teams/team_detail.html",
        {
            "nav": "teams",
            "team": team,
            "counts_as_active": selectors.team_counts_as_active(team),
            "window_days": services.active_team_window_days(),
            "can_edit": _can_write(request, team.org_unit.path),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, code: str | None = None):
    team = selectors.team_get_for_edit(viewer=request.user, code=code) if code else None
    if team is None:
        _require_writer(request)
    form = TeamForm(
        request.POST or None,
        initial=TeamForm.initial_for(team) if team else {},
        units=selectors.units_for_write(viewer=request.user),
        editing=team is not None,
    )

    def save(data: dict[str, Any]):
        return services.team_upsert(
            actor=request.user,
            code=team.code if team else data["code"],
            name=data["name"],
            kind=data["kind"],
            org_unit=data["org_unit"],
            members_count=data["members_count"],
            leader_name=data["leader_name"],
            rehearsal_venue=data["rehearsal_venue"],
            rehearsal_place=data["rehearsal_place"],
            founded_on=data["founded_on"],
            is_active=data["is_active"],
            last_active_on=data["last_active_on"],
            members=data["members"],
            create_only=team is None,
            request=request,
        )

    return _form_page(
        request,
        form=form,
        obj=team,
        save=save,
        template="teams/team_form.html",
        context={"nav": "teams"},
        done=lambda t: redirect("teams:team_detail", code=t.code),
        saved_message=_("已保存团队 %(name)s"),
    )


# ----- organisations -------------------------------------------------------------------------------
@login_required
@require_GET
def organisation_list(request):
    qs = selectors.organisation_list(viewer=request.user, filters=request.GET)
    return render(
        request,
        "teams/organisation_list.html",
        {
            "nav": "teams",
            "page": _page(request, qs),
            "filters": request.GET,
            "kinds": OrganisationKind.choices,
            "units": selectors.units_for_filter(viewer=request.user),
            "can_edit": _can_write(request),
        },
    )


@login_required
@require_GET
def organisation_detail(request, code: str):
    org = selectors.organisation_get(viewer=request.user, code=code)
    return render(
        request,
        "teams/organisation_detail.html",
        {"nav": "teams", "org": org, "can_edit": _can_write(request, org.org_unit.path)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, code: str | None = None):
    org = selectors.organisation_get(viewer=request.user, code=code) if code else None
    if org is not None:
        viewer_scope(request.user).require_write(org.org_unit.path)
    else:
        _require_writer(request)
    form = OrganisationForm(
        request.POST or None,
        initial=OrganisationForm.initial_for(org) if org else {},
        units=selectors.units_for_write(viewer=request.user, include_district=True),
        editing=org is not None,
    )

    def save(data: dict[str, Any]):
        return services.organisation_upsert(
            actor=request.user,
            code=org.code if org else data["code"],
            name=data["name"],
            kind=data["kind"],
            org_unit=data["org_unit"],
            contact_name=data["contact_name"],
            phone=form.phone_arg(editing=org is not None),
            address=data["address"],
            is_active=data["is_active"],
            create_only=org is None,
            request=request,
        )

    return _form_page(
        request,
        form=form,
        obj=org,
        save=save,
        template="teams/organisation_form.html",
        context={"nav": "teams"},
        done=lambda o: redirect("teams:organisation_detail", code=o.code),
        saved_message=_("已保存组织 %(name)s"),
    )


# ----- culture households and talents ---------------------------------------------------------------
PEOPLE = {
    "household": {
        "list": selectors.household_list,
        "get": selectors.household_get,
        "save": services.culture_household_upsert,
        "title": _("文化示范户"),
        "name_label": _("户名"),
        "list_url": "teams:household_list",
        "export": "culture_households",
    },
    "talent": {
        "list": selectors.talent_list,
        "get": selectors.talent_get,
        "save": services.culture_talent_upsert,
        "title": _("社区文化能人"),
        "name_label": _("姓名"),
        "list_url": "teams:talent_list",
        "export": "culture_talents",
    },
}


def _people_list(request, which: str):
    conf = PEOPLE[which]
    qs = conf["list"](viewer=request.user, filters=request.GET)
    return render(
        request,
        "teams/people_list.html",
        {
            "nav": "teams",
            "which": which,
            "conf": conf,
            "page": _page(request, qs),
            "filters": request.GET,
            "units": selectors.units_for_filter(viewer=request.user),
            "can_edit": _can_write(request),
        },
    )


def _people_edit(request, which: str, code: str | None):
    conf = PEOPLE[which]
    obj = conf["get"](viewer=request.user, code=code) if code else None
    if obj is not None:
        viewer_scope(request.user).require_write(obj.community.path)
    else:
        _require_writer(request)
    form = PersonRecordForm(
        request.POST or None,
        initial=PersonRecordForm.initial_for(obj) if obj else {},
        units=selectors.units_for_write(viewer=request.user, community_only=True),
        editing=obj is not None,
        name_label=conf["name_label"],
    )

    def save(data: dict[str, Any]):
        return conf["save"](
            actor=request.user,
            code=obj.code if obj else data["code"],
            name=data["name"],
            community=data["community"],
            speciality=data["speciality"],
            is_active=data["is_active"],
            create_only=obj is None,
            request=request,
        )

    return _form_page(
        request,
        form=form,
        obj=obj,
        save=save,
        template="teams/people_form.html",
        context={"nav": "teams", "which": which, "conf": conf},
        done=lambda _o: redirect(conf["list_url"]),
        saved_message=_("已保存 %(name)s"),
    )


@login_required
@require_GET
def household_list(request):
    return _people_list(request, "household")


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, code: str | None = None):
    return _people_edit(request, "household", code)


@login_required
@require_GET
def talent_list(request):
    return _people_list(request, "talent")


@login_required
@require_http_methods(["GET", "POST"])
def talent_edit(request, code: str | None = None):
    return _people_edit(request, "talent", code)
