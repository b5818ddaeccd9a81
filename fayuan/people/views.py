"""People screens. Reads through ``selectors`` (scoped, audited), writes through ``services``.

ID numbers never travel in URLs: lookup by number is a POST, and pages address people by a random public id.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import ID_REVEAL_ROLES, PERSON_READER_ROLES, PERSON_WRITER_ROLES
from fayuan.core.capped import CappedPaginator
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.search import search_load, search_save

from . import selectors, services
from .forms import FindByIdForm, PersonForm, RevealForm
from .models import PersonTag


def _add_domain_error(form: Any, exc: ValidationFailed | Conflict) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@office_view(PERSON_READER_ROLES)
def person_list(request: HttpRequest) -> HttpResponse:
    """The search goes by POST (a phone number must not land in access logs) and is kept in the session; the list
    and its pages are GETs of ``?s=<opaque key>``. A ``q`` in the URL is ignored."""
    if request.method == "POST":
        criteria = {"q": request.POST.get("q", "").strip()[:60], "tag": request.POST.get("tag", "").strip()[:40]}
        url = f"{reverse('people:list')}?s={search_save(request, criteria)}"
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect(url)
        request.GET = QueryDict(url.partition("?")[2])  # render the results now; the browser shows the GET URL
    token, criteria = search_load(request)
    q, tag = criteria.get("q", ""), criteria.get("tag", "")
    user = office_user(request)
    ids = functools.partial(selectors.person_list_ids, user, query=q, tag=tag, by_phone=True)
    page = CappedPaginator(ids(), 25, first_rows=lambda n: ids(first=n)).get_page(request.GET.get("page"))
    people = selectors.persons_in_order(user, [row["id"] for row in page.object_list])
    page.object_list = selectors.shown_to(user, people)
    context = {"page": page, "q": q, "tag": tag, "tags": PersonTag.objects.all(), "find_form": FindByIdForm(),
               "can_write": office_user(request).role in PERSON_WRITER_ROLES}
    partial = request.htmx and request.htmx.target == "results"  # type: ignore[attr-defined]
    template = "people/_person_rows.html" if partial else "people/person_list.html"
    response = render(request, template, context)
    if request.method == "POST":
        response["HX-Push-Url"] = f"{reverse('people:list')}?s={token}"
    return response


@office_view(PERSON_READER_ROLES)
@require_POST
def person_find(request: HttpRequest) -> HttpResponse:
    form = FindByIdForm(request.POST)
    if form.is_valid():
        person = selectors.person_find_by_id_number(office_user(request), form.cleaned_data["id_number"])
        if person is not None:
            return redirect("people:detail", public_id=person.public_id)
        messages.warning(request, "在您的权限范围内没有找到该身份证号码对应的人员。")
    else:
        messages.error(request, "请输入身份证号码。")
    return redirect("people:list")


@office_view(PERSON_READER_ROLES)
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(office_user(request), public_id)
    role = office_user(request).role
    return render(request, "people/person_detail.html", {
        "person": person, "taggings": selectors.person_taggings(person),
        "can_reveal": role in ID_REVEAL_ROLES and bool(person.id_number_encrypted),
        "can_write": role in PERSON_WRITER_ROLES, "reveal_form": RevealForm(),
    })


@office_view(ID_REVEAL_ROLES)
@require_POST
def person_reveal(request: HttpRequest, public_id: str) -> HttpResponse:
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "people/_reveal.html", {"form": form, "public_id": public_id}, status=422)
    number = services.person_reveal_id_number(
        actor=office_user(request), public_id=public_id, purpose=form.cleaned_data["purpose"]
    )
    response = render(request, "people/_reveal.html", {"number": number, "public_id": public_id})
    response["Cache-Control"] = "no-store"
    return response


@office_view(PERSON_WRITER_ROLES)
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_register(
                actor=office_user(request), name=data["name"], id_number=data["id_number"], phone=data["phone"],
                address=data["address"], household_registration=data["household_registration"],
                tag_codes=[t.code for t in data["tags"]],
            )
        except (ValidationFailed, Conflict) as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记：{person.name}")
            return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/person_form.html", {"form": form, "title": "登记人员"},
                  status=422 if form.errors else 200)


@office_view(PERSON_WRITER_ROLES)
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(office_user(request), public_id)
    # The phone is decrypted for the clerk who corrects it (an editing role); screens show the masked form.
    initial = {"name": person.name, "phone": person.phone, "address": person.address,
               "household_registration": person.household_registration,
               "tags": list(person.tags.values_list("code", flat=True))}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(actor=office_user(request), public_id=public_id, changes=data,
                                   tag_codes=[t.code for t in data["tags"]])
        except (ValidationFailed, Conflict) as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("people:detail", public_id=person.public_id)
    return render(request, "people/person_form.html", {"form": form, "title": f"修改：{person.name}",
                                                       "person": person}, status=422 if form.errors else 200)
