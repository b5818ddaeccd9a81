"""An outreach world on the shared city: a village in district A and one in district B, a household of three in
the village of A registered by station A's clerk, a visit with two needs, a task from one of them, a visit plan
and a card batch. Built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fayuan.conftest import valid_id
from fayuan.places.models import Place, PlaceKind

from .. import services

HEAD = "张小明"


def make_place(district: Any, code: str, name: str) -> Place:
    return Place.objects.create(code=code, name=name, town="某镇", district=district, kind=PlaceKind.VILLAGE,
                                latitude=Decimal("32.1"), longitude=Decimal("119.5"), population=1200)


def outreach_world(city: Any) -> Any:
    if hasattr(city, "household"):
        return city
    today = timezone.localdate()
    clerk = city.user("clerk_a")
    city.place_a = make_place(city.district_a, "321102001001", "红旗村")
    city.place_b = make_place(city.district_b, "321181001001", "永丰村")
    city.household = services.household_register(actor=clerk, data=services.HouseholdInput(
        place_id=city.place_a.pk, head_name=HEAD, address="红旗村3组12号", members=[
            services.MemberInput(name=HEAD, relation="户主", category="low_income_allowance",
                                 id_number=valid_id(31)),
            services.MemberInput(name="王芳", relation="配偶"),
            services.MemberInput(name="张欧阳", relation="子")]))
    city.visit = services.visit_record(actor=clerk, data=services.VisitInput(
        household_id=city.household.pk, visited_on=today - dt.timedelta(days=10), people_met="户主及配偶",
        needs=[services.NeedInput(topic="support", description="子女不尽赡养义务"),
               services.NeedInput(topic="wages", description="务工欠薪两个月")]))
    needs = {n.topic.code: n for n in city.visit.needs.all()}
    city.need_wages = needs["wages"]
    city.task = services.intervention_open(actor=clerk, need_id=needs["support"].pk,
                                           assignee_id=city.user("reviewer_a").pk, due_on=today + dt.timedelta(days=5),
                                           opened_on=today - dt.timedelta(days=10))
    city.plan = services.plan_create(actor=clerk, data=services.PlanInput(
        title="第四季度走访", period_start=today - dt.timedelta(days=20), period_end=today + dt.timedelta(days=60),
        household_ids=[city.household.pk], staff_ids=[clerk.pk]))
    city.batch = services.card_batch_issue(actor=clerk, place_id=city.place_a.pk, kind="person")
    return city
