"""The demo's outreach to households in difficulty and their contact cards, through the outreach services: the
registered households come from the recipient registry where it holds records (``households_sync_from_registry``)
and are otherwise registered by hand at a quarter of the places of every district; each district center plans a
visit round a quarter over the past year, its staff and a station clerk visit, record the legal needs found, open
early-intervention tasks (most closed, with a consultation recorded for the advice given; some still open, a few
overdue) and issue the contact cards of each place visited. Written after the replayed past with the dates of
the past (as the excellent-lawyer team's sessions), so the audit log's times still rise with its sequence. Safe to
run again: households only for a place that has none, plans only for a center that has none, cards only for a
place that has no batch."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import Center, District, StationType
from fayuan.outreach import services
from fayuan.outreach.models import CardBatch, Household, NeedTopic, Visit, VisitPlan
from fayuan.outreach.sync import households_sync_from_registry
from fayuan.people.idnumber import build
from fayuan.places.models import Place

from .names import person_name, rng

PLACE_SHARE = 4  # every 4th place of a district has registered households in the demo
# Needs found on a visit, by how often (赡养, marriage, inheritance and land come first in plan point 5).
TOPIC_WEIGHTS = {"support": 16, "marriage": 12, "inheritance": 9, "land": 9, "injury": 6, "wages": 10,
                 "social_security": 8, "housing": 7, "other": 4}
DESCRIPTIONS = {
    "support": "子女未按约定给付赡养费", "marriage": "离婚后子女抚养费未付",
    "inheritance": "父亲去世后房屋继承分歧", "land": "土地承包经营权流转合同到期未续签、租金拖欠",
    "injury": "务工受伤，雇主未赔偿", "wages": "在外务工被拖欠工资", "social_security": "城乡居民养老保险待遇不清楚",
    "housing": "宅基地边界与邻居有纠纷", "other": "咨询法律援助申请条件",
}
OUTCOMES = ["consultation", "consultation", "consultation", "application", "referred", "education", "not_needed"]


@dataclass
class OutreachResult:
    synced: int = 0
    registered: int = 0
    plans: int = 0
    visits: int = 0
    tasks: int = 0
    closed: int = 0
    batches: int = 0


def _reviewer(district: District) -> User | None:
    return (User.objects.filter(role=Role.CENTER_REVIEWER, center__district=district, is_active=True,
                                username__startswith="demo_").order_by("username").first())


def _clerk(district: District) -> User | None:
    """A township judicial office's clerk of the district (they know the villages), else any station clerk."""
    clerks = User.objects.filter(role=Role.STATION_CLERK, station__district=district, is_active=True,
                                 username__startswith="demo_").order_by("username")
    return clerks.filter(station__type=StationType.JUDICIAL_OFFICE).first() or clerks.first()


def _register(district: District, actor: User, r: random.Random, result: OutreachResult) -> None:
    places = list(Place.objects.filter(district=district).order_by("code"))[::PLACE_SHARE]
    for place in places:
        if Household.objects.filter(place=place).exists():
            continue
        for n in range(r.randint(2, 4)):
            gender = r.choice("MF")
            birth = dt.date(r.randint(1938, 1975), r.randint(1, 12), r.randint(1, 28))
            head = person_name(r, gender, birth.year)
            members = [services.MemberInput(name=head, relation="户主",
                                            category=r.choice(["low_income_allowance", "extreme_poverty",
                                                               "registered_poor", "disabled"]),
                                            id_number=build(district.code, birth, 100 + n * 2))]
            if r.random() < 0.6:
                members.append(services.MemberInput(name=person_name(r, "F" if gender == "M" else "M", birth.year),
                                                    relation="配偶"))
            if r.random() < 0.4:
                members.append(services.MemberInput(name=head[0] + person_name(r, r.choice("MF"), 2005)[1:],
                                                    relation="子女"))
            services.household_register(actor=actor, data=services.HouseholdInput(
                place_id=place.pk, head_name=head, address=f"{place.town}{place.name}{r.randint(1, 9)}组"
                f"{r.randint(1, 60)}号", members=members))
            result.registered += 1


def _rounds(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Four visit rounds of 91 days over the past year; the last one is still under way."""
    starts = [today - dt.timedelta(days=330 - 91 * i) for i in range(4)]
    return [(s, s + dt.timedelta(days=90)) for s in starts]


def _visit_round(district: District, reviewer: User, clerk: User | None, today: dt.date, r: random.Random,
                 topics: list[str], result: OutreachResult) -> None:
    households = list(Household.objects.filter(place__district=district, active=True).order_by("pk"))
    if not households:
        return
    staff = [reviewer] + ([clerk] if clerk else [])
    weights = [TOPIC_WEIGHTS.get(t, 1) for t in topics]
    for q, (start, end) in enumerate(_rounds(today)):
        chosen = households[q::4] or households[:1]
        plan = services.plan_create(actor=reviewer, data=services.PlanInput(
            title=f"困难家庭走访第{q + 1}轮（{start:%Y年%m月}起）", period_start=start, period_end=end,
            household_ids=[h.pk for h in chosen], staff_ids=[u.pk for u in staff]))
        result.plans += 1
        last = min(end, today)
        for h in chosen:
            if last == today and r.random() < 0.4:
                continue  # the current round is still under way
            visitor = r.choice(staff)
            day = start + dt.timedelta(days=r.randrange(max((last - start).days, 0) + 1))
            picked = sorted(set(r.choices(topics, weights=weights, k=r.choice([0, 1, 1, 2, 2, 3]))))
            visit = services.visit_record(actor=visitor, data=services.VisitInput(
                household_id=h.pk, visited_on=day, people_met=r.choice(["户主本人", "户主及配偶", "户主及子女"]),
                notes="入户走访，告知法律援助申请渠道和联系方式，了解家庭困难原因。", plan_id=plan.pk,
                needs=[services.NeedInput(topic=t, description=DESCRIPTIONS.get(t, "")) for t in picked]))
            result.visits += 1
            for need in visit.needs.all():
                if r.random() < 0.45:
                    continue  # answered on the spot
                _task(need.pk, day, staff, today, r, result)


def _task(need_id: int, day: dt.date, staff: list[User], today: dt.date, r: random.Random,
          result: OutreachResult) -> None:
    assignee = r.choice(staff)
    due = day + dt.timedelta(days=r.choice([15, 30, 30, 45]))
    task = services.intervention_open(actor=staff[0], need_id=need_id, assignee_id=assignee.pk, due_on=due,
                                      opened_on=day)
    result.tasks += 1
    age = (today - day).days
    if age > 5 and r.random() < 0.6:
        services.intervention_start(actor=assignee, task_id=task.pk, on=day + dt.timedelta(days=min(2, age)))
    # Most old tasks are closed; a few stay open past their due date (the overdue list), recent ones run on.
    if age > 20 and r.random() < 0.9:
        closed = min(today, day + dt.timedelta(days=r.randint(3, max(4, (due - day).days + 5))))
        outcome = r.choice(OUTCOMES)
        services.intervention_close(actor=assignee, task_id=task.pk, data=services.CloseInput(
            outcome=outcome, note="已与当事人联系，释法说理并告知维权途径。", closed_on=closed,
            question="家庭纠纷如何通过法律途径解决" if outcome == "consultation" else "",
            advice="可先申请人民调解，调解不成可申请法律援助起诉。" if outcome == "consultation" else ""))
        result.closed += 1


def _cards(district: District, reviewer: User, today: dt.date, result: OutreachResult) -> None:
    for place in Place.objects.filter(district=district, households__isnull=False).distinct().order_by("code"):
        if CardBatch.objects.filter(place=place).exists():
            continue
        first = (Visit.objects.filter(household__place=place).order_by("visited_on")
                 .values_list("visited_on", flat=True).first())
        services.card_batch_issue(actor=reviewer, place_id=place.pk, kind="household", issued_on=first or today)
        result.batches += 1


def seed_outreach() -> OutreachResult:
    result = OutreachResult()
    today = timezone.localdate()
    synced = households_sync_from_registry(on=today)
    result.synced = synced.created
    topics = list(NeedTopic.objects.filter(active=True).values_list("code", flat=True))
    for district in District.objects.order_by("sort_order", "code"):
        reviewer = _reviewer(district)
        if reviewer is None:
            continue
        clerk = _clerk(district)
        r = rng(f"outreach:{district.code}")
        _register(district, clerk or reviewer, r, result)
        center = Center.objects.filter(district=district).first()
        if center is not None and not VisitPlan.objects.filter(center=center).exists():
            _visit_round(district, reviewer, clerk, today, r, topics, result)
        _cards(district, reviewer, today, result)
    return result
