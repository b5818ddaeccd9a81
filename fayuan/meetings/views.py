"""Joint meetings' pages: center staff and bureaus list, record and follow up their meetings; an organ's liaison
reads the meetings its organ took part in. Reads through ``selectors``, writes through ``services``; a meeting
outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.org.models import Center, Organ

from . import selectors, services
from .forms import ActionForm, DoneForm, MeetingForm
from .models import Meeting
from .selectors import MEETING_READERS, MEETING_WRITERS

LIST_LIMIT = 200


@office_view(MEETING_READERS)
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    meetings = selectors.meetings_visible_to(user).prefetch_related("organs")[:LIST_LIMIT]
    return render(request, "meetings/list.html", {
        "meetings": meetings, "can_write": user.role in MEETING_WRITERS,
        "overdue": selectors.overdue_actions(user, on=timezone.localdate()).count()})


@office_view(MEETING_WRITERS)
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    set_choices(form.fields["organs"], [(str(o.pk), o.name) for o in Organ.objects.filter(active=True)])
    set_choices(form.fields["centers"], [(str(c.pk), c.name) for c in Center.objects.all()])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_record(actor=user, data=services.MeetingInput(
                held_on=d["held_on"], place=d["place"], topic=d["topic"], organ_ids=d["organs"],
                center_ids=d["centers"], attendees=d["attendees"], summary=d["summary"],
                decisions=d["decisions"].splitlines()))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "联席会议已登记。")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


def _owner_choices(meeting: Meeting) -> list[tuple[str, str]]:
    return ([("", "请选择")] + [(f"center:{c.pk}", c.name) for c in meeting.centers.all()]
            + [(f"organ:{o.pk}", o.name) for o in meeting.organs.all()])


@office_view(MEETING_READERS)
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = office_user(request)
    meeting = selectors.meeting_detail(selectors.meeting_get_for_user(user, meeting_id))
    action_form = ActionForm()
    set_choices(action_form.fields["owner"], _owner_choices(meeting))
    return render(request, "meetings/detail.html", {
        "m": meeting, "can_write": user.role in MEETING_WRITERS, "action_form": action_form,
        "done_form": DoneForm(initial={"done_on": timezone.localdate()}), "today": timezone.localdate()})


@office_view(MEETING_WRITERS)
def action_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = office_user(request)
    meeting = selectors.meeting_get_for_user(user, meeting_id)
    to = reverse("meetings:detail", args=[meeting.pk])
    if request.method != "POST":
        return redirect(to)
    form = ActionForm(request.POST)
    set_choices(form.fields["owner"], _owner_choices(meeting))
    if not form.is_valid():
        messages.error(request, "未添加：请填写事项、牵头单位和完成期限。")
        return redirect(to)
    try:
        services.action_add(actor=user, meeting_id=meeting.pk, description=form.cleaned_data["description"],
                            owner=form.cleaned_data["owner"], due_on=form.cleaned_data["due_on"])
    except DomainError as exc:
        messages.error(request, f"未添加：{exc.message}")
    else:
        messages.success(request, "落实事项已添加。")
    return redirect(to)


@office_view(MEETING_WRITERS)
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    user = office_user(request)
    action = selectors.action_get_for_user(user, action_id)

    def perform(data: dict[str, Any]) -> str:
        services.action_mark_done(actor=user, action_id=action.pk, done_on=data["done_on"], note=data["note"])
        return "已登记完成。"

    return posted_action(request, DoneForm, back=reverse("meetings:detail", args=[action.meeting_id]),
                         invalid="未登记：请填写完成日期。", perform=perform, refused_prefix="未登记：")


@office_view(MEETING_READERS)
def overdue(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    return render(request, "meetings/overdue.html", {
        "actions": selectors.overdue_actions(user, on=today)[:LIST_LIMIT], "today": today})
