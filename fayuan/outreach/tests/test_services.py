"""Outreach services: validation, scope, the early-intervention task's states, the registry link's uniqueness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.conftest import valid_id
from fayuan.consultations.models import Consultation
from fayuan.core.crypto import decrypt_text, lookup_hash
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry

from .. import selectors, services
from ..masking import mask_name
from ..models import Household, HouseholdOrigin, Intervention, Visit
from .support import HEAD, outreach_world

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


@pytest.fixture
def world(city):
    return outreach_world(city)


def test_names_are_masked_keeping_family_name_and_last_character():
    assert [mask_name(n) for n in ["张小明", "李四", "欧阳小明", "王", ""]] == ["张*明", "李*", "欧**明", "王", ""]


def test_register_encrypts_the_id_number_and_audits(world):
    head = world.household.members.get(relation="户主")
    assert head.id_hash == lookup_hash(valid_id(31)) and decrypt_text(head.id_number_encrypted) == valid_id(31)
    assert "*" in head.id_number_masked and valid_id(31) not in head.id_number_masked
    assert world.household.origin == HouseholdOrigin.MANUAL and world.household.members.count() == 3
    assert AuditEntry.objects.filter(object_type="outreach.household", action="create").exists()


def test_register_refuses_a_place_outside_the_district_and_a_bad_id_and_changes_nothing(world):
    before = Household.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.household_register(actor=world.user("clerk_a"), data=services.HouseholdInput(
            place_id=world.place_b.pk, head_name="李大"))
    assert exc.value.field == "place_id"
    with pytest.raises(ValidationFailed) as exc:
        services.household_register(actor=world.user("clerk_a"), data=services.HouseholdInput(
            place_id=world.place_a.pk, head_name="李大", members=[services.MemberInput(name="李大",
                                                                                      id_number="123")]))
    assert exc.value.field == "members.0.id_number"
    with pytest.raises(PermissionDenied):
        services.household_register(actor=world.user("bureau_a"), data=services.HouseholdInput(
            place_id=world.place_a.pk, head_name="李大"))
    assert Household.objects.count() == before


def test_one_household_per_registry_key(world):
    Household.objects.create(place=world.place_a, head_name="甲", origin=HouseholdOrigin.REGISTRY,
                             registry_source="dibao", registry_key="H1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(place=world.place_a, head_name="乙", origin=HouseholdOrigin.REGISTRY,
                                 registry_source="dibao", registry_key="H1")


def test_visit_validates_date_topics_and_plan(world):
    clerk = world.user("clerk_a")
    base = dict(household_id=world.household.pk, people_met="户主")
    bad = [
        (services.VisitInput(**base, visited_on=timezone.localdate() + dt.timedelta(days=1)), "visited_on"),
        (services.VisitInput(**base, visited_on=timezone.localdate(), needs=[services.NeedInput("nope")]), "needs"),
        (services.VisitInput(**base, visited_on=timezone.localdate(),
                             needs=[services.NeedInput("land"), services.NeedInput("land")]), "needs"),
        (services.VisitInput(household_id=world.household.pk, people_met=" ", visited_on=timezone.localdate()),
         "people_met"),
    ]
    before = Visit.objects.count()
    for data, field in bad:
        with pytest.raises(ValidationFailed) as exc:
            services.visit_record(actor=clerk, data=data)
        assert exc.value.field == field
    assert Visit.objects.count() == before


def test_another_district_cannot_see_or_visit_the_household(world):
    for key in ("clerk_b", "reviewer_b", "bureau_b" if "bureau_b" in world.users else "reviewer_b"):
        with pytest.raises(NotFoundOrForbidden):
            services.visit_record(actor=world.user(key), data=services.VisitInput(
                household_id=world.household.pk, visited_on=timezone.localdate(), people_met="户主"))
    assert not selectors.households_visible_to(world.user("provider_a")).exists()
    for key in ("clerk_a", "reviewer_a", "director_a", "bureau_a", "bureau"):
        assert selectors.households_visible_to(world.user(key)).filter(pk=world.household.pk).exists(), key


def test_task_states_open_progress_closed_and_final(world):
    reviewer = world.user("reviewer_a")
    task = services.intervention_start(actor=reviewer, task_id=world.task.pk)
    assert task.status == "in_progress"
    with pytest.raises(Conflict):
        services.intervention_start(actor=reviewer, task_id=world.task.pk)
    with pytest.raises(ValidationFailed) as exc:
        services.intervention_close(actor=reviewer, task_id=world.task.pk, data=services.CloseInput(
            outcome="consultation", note="已电话解答"))
    assert exc.value.field == "advice"
    task = services.intervention_close(actor=reviewer, task_id=world.task.pk, data=services.CloseInput(
        outcome="consultation", note="上门解答赡养义务", question="子女不给赡养费怎么办", advice="可申请调解或起诉"))
    assert task.status == "closed" and task.closed_on == timezone.localdate() and task.consultation_id
    consultation = Consultation.objects.get(pk=task.consultation_id)
    assert consultation.center == world.center_a and HEAD not in consultation.caller_name
    with pytest.raises(Conflict):
        services.intervention_close(actor=reviewer, task_id=world.task.pk, data=services.CloseInput(
            outcome="referred", note="再次办结"))


def test_task_open_refuses_a_second_task_outside_staff_and_long_due_dates(world):
    clerk = world.user("clerk_a")
    need = world.task.need
    with pytest.raises(Conflict):
        services.intervention_open(actor=clerk, need_id=need.pk, assignee_id=clerk.pk,
                                   due_on=timezone.localdate())
    wages = world.need_wages
    with pytest.raises(ValidationFailed) as exc:
        services.intervention_open(actor=clerk, need_id=wages.pk, assignee_id=world.user("reviewer_b").pk,
                                   due_on=timezone.localdate())
    assert exc.value.field == "assignee_id"
    with pytest.raises(ValidationFailed) as exc:
        services.intervention_open(actor=clerk, need_id=wages.pk, assignee_id=clerk.pk,
                                   due_on=timezone.localdate() + dt.timedelta(days=200))
    assert exc.value.field == "due_on"
    with pytest.raises(ValidationFailed) as exc:
        services.intervention_open(actor=world.user("clerk_b"), need_id=wages.pk,
                                   assignee_id=world.user("clerk_b").pk, due_on=timezone.localdate())
    assert exc.value.field == "need_id"
    assert Intervention.objects.count() == 1


def test_overdue_list_holds_open_tasks_past_their_due_date(world):
    today = timezone.localdate()
    qs = selectors.interventions_visible_to(world.user("reviewer_a"))
    assert list(selectors.open_tasks(qs, today=today, overdue_only=True)) == []
    later = today + dt.timedelta(days=6)
    assert list(selectors.open_tasks(qs, today=later, overdue_only=True)) == [world.task]
    services.intervention_close(actor=world.user("clerk_a"), task_id=world.task.pk, data=services.CloseInput(
        outcome="referred", note="转介县妇联调解"))
    assert not selectors.open_tasks(qs, today=later).exists()


def test_plan_takes_only_district_households_and_staff(world):
    clerk = world.user("clerk_a")
    other = services.household_register(actor=world.user("clerk_b"), data=services.HouseholdInput(
        place_id=world.place_b.pk, head_name="陈大"))
    start = timezone.localdate()
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(actor=clerk, data=services.PlanInput(
            title="计划", period_start=start, period_end=start, household_ids=[other.pk], staff_ids=[clerk.pk]))
    assert exc.value.field == "household_ids"
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(actor=clerk, data=services.PlanInput(
            title="计划", period_start=start, period_end=start, household_ids=[world.household.pk],
            staff_ids=[world.user("clerk_b").pk]))
    assert exc.value.field == "staff_ids"
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(actor=clerk, data=services.PlanInput(
            title="计划", period_start=start, period_end=start - dt.timedelta(days=1),
            household_ids=[world.household.pk], staff_ids=[clerk.pk]))
    assert exc.value.field == "period_end"
    assert world.plan.station == world.station_a and world.plan.district == world.district_a


def test_visit_in_a_plan_must_be_for_one_of_its_households(world):
    extra = services.household_register(actor=world.user("clerk_a"), data=services.HouseholdInput(
        place_id=world.place_a.pk, head_name="刘大"))
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(actor=world.user("clerk_a"), data=services.VisitInput(
            household_id=extra.pk, visited_on=timezone.localdate(), people_met="户主", plan_id=world.plan.pk))
    assert exc.value.field == "plan_id"
    visit = services.visit_record(actor=world.user("reviewer_a"), data=services.VisitInput(
        household_id=world.household.pk, visited_on=timezone.localdate(), people_met="户主", plan_id=world.plan.pk))
    assert visit.plan == world.plan


def test_card_batch_freezes_offices_and_masks_names(world, settings):
    batch = world.batch
    assert sorted(batch.cards.values_list("name_masked", flat=True)) == sorted(["张*明", "王*", "张*阳"])
    assert batch.center_name == world.center_a.name and batch.station_name == world.station_a.name
    assert batch.public_url == settings.FAYUAN_PUBLIC_URL
    household_batch = services.card_batch_issue(actor=world.user("reviewer_a"), place_id=world.place_a.pk,
                                                kind="household")
    assert list(household_batch.cards.values_list("name_masked", flat=True)) == ["张*明"]
    with pytest.raises(ValidationFailed):
        services.card_batch_issue(actor=world.user("reviewer_a"), place_id=world.place_b.pk, kind="household")
    with pytest.raises(ValidationFailed) as exc:
        services.card_batch_issue(actor=world.user("clerk_b"), place_id=world.place_b.pk, kind="household")
    assert exc.value.field == "place_id"  # no registered household there


def test_printing_is_recorded_and_a_reprint_counts(world):
    batch = services.card_batch_printed(actor=world.user("clerk_a"), batch=world.batch)
    batch = services.card_batch_printed(actor=world.user("bureau_a"), batch=batch)
    assert batch.prints == 2
    details = list(AuditEntry.objects.filter(object_type="outreach.cardbatch", action="export")
                   .values_list("detail", flat=True))
    assert [d["reprint"] for d in details] == [False, True]
    with pytest.raises(PermissionDenied):
        services.card_batch_printed(actor=world.user("clerk_b"), batch=batch)


def test_cards_name_the_nearest_judicial_office_never_a_guarded_site(world):
    from decimal import Decimal

    from fayuan.org.models import Station, StationType

    def station(name: str, kind: str, lat: str) -> Station:
        return Station.objects.create(name=name, type=kind, center=world.center_a, district=world.district_a,
                                      address=name, latitude=Decimal(lat), longitude=Decimal("119.5"))

    station("看守所工作站", StationType.DETENTION_CENTER, "32.1")  # on the village's doorstep, but guarded
    far = station("某镇司法所", StationType.JUDICIAL_OFFICE, "32.3")
    center, chosen = services.card_offices(world.user("reviewer_a"), world.place_a)
    assert center == world.center_a and chosen == far
    assert services.card_offices(world.user("clerk_a"), world.place_a)[1] == world.station_a  # a clerk's own
