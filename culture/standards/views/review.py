"""One review mechanism for what a reviewer accepts or sends back: reported figures (统计填报,
approved by the unit above) and attestations (佐证, accepted by a district officer). A ``Review``
declares the form, the decision that says yes, the service that records it, the message and the
queue to return to; ``review_post`` runs it for one item the view fetched in scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from culture.core.errors import OutOfScope, ServiceError
from culture.standards.views.common import back


@dataclass(frozen=True)
class Review:
    form: type[forms.Form]  # fields ``decision`` and ``reason``
    yes: str  # the decision value that approves / accepts
    # The service call: (actor, item, yes, reason, request); raises a ServiceError when refused.
    decide: Callable[[Any, Any, bool, str, HttpRequest], object]
    done: Callable[[Any, bool], str]  # the success message for (item, yes)
    queue: str  # URL name of the review queue (where to go without a safe ``next``)


def review_post(request: HttpRequest, item: Any, review: Review) -> HttpResponse:
    """Record the reviewer's decision on ``item`` and go back to the queue (or ``next``)."""
    form = review.form(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果"))
        return back(request, review.queue)
    yes = form.cleaned_data["decision"] == review.yes
    try:
        review.decide(request.user, item, yes, form.cleaned_data["reason"], request)
    except OutOfScope:
        raise
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, review.done(item, yes))
    return back(request, review.queue)
