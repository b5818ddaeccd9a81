"""Receiving an application at a station or a center counter, with its materials, in one transaction: if any
file is refused, no case is created and the clerk sees why next to that file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import Role
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.people import selectors as people
from fayuan.people.forms import person_choices

from . import services
from .forms import ACCEPTED_FILES, MATERIAL_KINDS, MATERIAL_SLOTS, ApplicationForm
from .models import Channel, FileKind
from .views_panels import INTAKE

DEFAULT_KINDS = [FileKind.ID_DOCUMENT, FileKind.MEANS_PROOF, FileKind.CASE_EVIDENCE]


@dataclass
class MaterialSlot:
    index: int
    kind: str
    capture: bool = False
    files: list[UploadedFile] = field(default_factory=list)
    error: str = ""

    @property
    def kind_name(self) -> str:
        return f"material_kind_{self.index}"

    @property
    def file_name(self) -> str:
        return f"material_file_{self.index}"


class MaterialRejected(Exception):
    """A file was refused: roll the whole application back and show the reason next to that file."""

    def __init__(self, slot: MaterialSlot, message: str) -> None:
        super().__init__(message)
        slot.error = message


def _slots(request: HttpRequest | None) -> list[MaterialSlot]:
    """The upload slots, with what a submitted application (``request``) chose; empty ones without it."""
    slots = [MaterialSlot(i, DEFAULT_KINDS[i % len(DEFAULT_KINDS)]) for i in range(MATERIAL_SLOTS)]
    slots.append(MaterialSlot(MATERIAL_SLOTS, FileKind.CASE_EVIDENCE, capture=True))  # phone camera
    if request is not None and request.method == "POST":
        for slot in slots:
            kind = request.POST.get(slot.kind_name, slot.kind)
            slot.kind = kind if kind in FileKind.values else slot.kind
            slot.files = [f for f in request.FILES.getlist(slot.file_name) if f.size]
    return slots


def _application(data: dict[str, Any]) -> services.ApplicationInput:
    return services.ApplicationInput(
        applicant_id=data["applicant"], agent_id=data["agent"] or None,
        agent_relationship=data["agent_relationship"], channel=data["channel"] or Channel.COUNTER,
        case_type=data["case_type"], criminal_stage=data["criminal_stage"], criminal_ground=data["criminal_ground"],
        in_custody=data["in_custody"], matter=data["matter"], matter_summary=data["matter_summary"],
        opposing_party=data["opposing_party"], opposing_party_id_number=data["opposing_party_id_number"],
        handling_organ=data["handling_organ"], facts=data["facts"],
        household_size=data["household_size"] or 1, household_monthly_income=data["household_monthly_income"] or "0",
        income_source=data["income_source"], groups=data["groups"], special_facts=data["special_facts"],
    )


@office_view(INTAKE)
def case_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    # The applicant search is its own POST (a phone tail must not land in URLs or access logs): it re-renders the
    # picker and leaves the application unsubmitted.
    searching = request.method == "POST" and "person_search" in request.POST
    submitted = request.method == "POST" and not searching
    query = request.POST.get("q", "").strip()[:40] if searching else ""
    chosen = (request.POST.get("person") if searching else request.POST.get("applicant")) or request.GET.get("person")
    persons, more = people.person_picker(user, query, (chosen, request.POST.get("agent")), by_phone=True)
    at_station = user.role == Role.STATION_CLERK
    initial = {"applicant": chosen, "channel": Channel.STATION if at_station else Channel.COUNTER}
    form = ApplicationForm(request.POST if submitted else None, persons=person_choices(persons), on=today,
                           initial=initial)
    slots = _slots(request if submitted else None)
    if submitted and form.is_valid():
        try:
            with transaction.atomic():
                case = services.case_receive(actor=user, data=_application(form.cleaned_data))
                for slot in slots:
                    for upload in slot.files:
                        try:
                            services.case_file_add(actor=user, case=case, kind=slot.kind, upload=upload)
                        except ValidationFailed as exc:
                            raise MaterialRejected(slot, f"{upload.name}：{exc.message}") from None
        except MaterialRejected:
            pass
        except NotFoundOrForbidden:
            form.add_error("applicant", "未找到该人员，或不在您的受理范围内。")
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            files = sum(len(s.files) for s in slots)
            done = f"已登记申请 {case.number}（材料 {files} 份）。" + (
                "请及时转交法律援助中心。" if at_station else "请在七日内作出决定。")
            if case.green_channel:
                done += "本案适用绿色通道。"
            messages.success(request, done)
            return redirect("cases:detail", public_id=case.public_id)
    failed = bool(form.errors) or any(s.error for s in slots)
    chosen_person = next((p for p in persons if str(p.public_id) == chosen), None)
    return render(request, "cases/new.html", {
        "form": form, "slots": slots, "kinds": [(k.value, k.label) for k in MATERIAL_KINDS], "query": query,
        "more": more, "accept": ACCEPTED_FILES, "chosen_person": chosen_person, "at_station": at_station,
        "files_lost": submitted and any(s.files for s in slots),
    }, status=422 if failed else 200)
