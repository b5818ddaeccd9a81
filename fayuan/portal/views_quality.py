"""The public site's parts of complaints and the excellent-lawyer team (issue 12 parts 7, 8): a signed-in
applicant complains about their own case's provider (Legal Aid Law art. 55), optionally asking for another lawyer at
the same time through the existing change request; and the public page of the team with profiles and counts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fayuan.cases.models import ProviderChangeRequest
from fayuan.complaints.models import Category
from fayuan.complaints.services import FACTS_MAX, complaint_submit_online
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.lawyer_team.selectors import public_team

from . import selectors, services
from .access import applicant, applicant_view
from .forms import PortalForm


class ComplaintForm(PortalForm):
    category = forms.ChoiceField(label="您认为律师哪方面没有依法履行职责", choices=Category.choices,
                                 widget=forms.RadioSelect)
    facts = forms.CharField(label="具体情况和您的要求", max_length=FACTS_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    also_change = forms.BooleanField(label="同时申请更换律师", required=False)


@applicant_view
@require_http_methods(["GET", "POST"])
def complain(request: HttpRequest, public_id: str) -> HttpResponse:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id)
    provider = selectors.current_provider(case) or case.provider
    form = ComplaintForm(request.POST or None)
    can_change = case.status in selectors.HANDLING_STATUSES and not ProviderChangeRequest.objects.filter(
        case=case, handled_at__isnull=True).exists()
    if not can_change:
        del form.fields["also_change"]
    if request.method == "POST" and form.is_valid() and provider is not None:
        d = form.cleaned_data
        try:
            with transaction.atomic():
                change = (services.provider_change_request(account=user, public_id=case.public_id,
                                                           reason=f"投诉律师并申请更换：{d['facts']}"[:2000])
                          if d.get("also_change") else None)
                complaint_submit_online(account=user, public_id=case.public_id, category=d["category"],
                                        facts=d["facts"], change_request=change)
        except (Conflict, ValidationFailed) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "您的投诉已提交。司法局将调查处理，并把处理结果告诉您。")
            return redirect("portal:case", public_id=case.public_id)
    return render(request, "portal/my/complain.html", {"case": case, "provider": provider, "form": form})


def lawyer_team(request: HttpRequest) -> HttpResponse:
    team, sessions = public_team(timezone.localdate())
    return render(request, "portal/lawyer_team.html", {"team": team, "sessions": sessions})
