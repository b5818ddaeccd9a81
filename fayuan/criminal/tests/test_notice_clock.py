"""The notice clock against the shipped rule row ``assign-on-notice`` (Legal Aid Law art. 36: assign within 3 days
of receiving the notice; a person in custody, so never extended by holidays)."""

import datetime as dt

import pytest
from django.utils import timezone

from fayuan.cases.services.assignment import case_assign, case_change_provider
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.criminal.services import notice_record_refusal
from fayuan.deadlines.models import Deadline, DeadlineRule
from fayuan.org.models import Provider, ProviderKind
from fayuan.org.testing import put_in_defense_pool

from .support import send_notice

pytestmark = pytest.mark.django_db


def test_the_shipped_rule_is_three_calendar_days_in_custody_on_article_36():
    rule = DeadlineRule.objects.get(code="assign-on-notice", effective_to__isnull=True)
    assert (rule.start_event, rule.length, rule.day_kind, rule.custody) == ("notice_received", 3, "calendar", True)
    assert "provider_assigned" in rule.stop_events
    assert "第三十六条" in rule.legal_basis


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(("received", "due", "custody"), [
    (dt.date(2026, 3, 2), dt.date(2026, 3, 5), True),  # a Monday: the day of receipt not counted
    (dt.date(2026, 3, 5), dt.date(2026, 3, 8), True),  # ends on a Sunday: not extended (in custody)
    (dt.date(2026, 9, 30), dt.date(2026, 10, 3), True),  # in the National Day holiday: not extended
    (dt.date(2026, 12, 30), dt.date(2027, 1, 2), True),  # across the year end
    (dt.date(2026, 3, 5), dt.date(2026, 3, 8), False),  # not in custody: the rule counts as custody anyway
])
def test_the_notice_clock_runs_three_days_from_receipt(city, received, due, custody):
    place = {"custody_place_text": "京口区看守所"} if custody else {"custody_place_text": ""}
    notice = send_notice(city, received_at=_at(received), **place)
    deadline = Deadline.objects.get(subject_id=notice.case.pk, rule__code="assign-on-notice")
    assert (deadline.started_on, deadline.due_on, deadline.custody) == (received, due, True)
    assert notice.case.in_custody is custody


@pytest.fixture
def two_seniors(city):
    for i, name in enumerate(("陈律师", "周律师")):
        put_in_defense_pool(Provider.objects.create(
            name=name, kind=ProviderKind.LAWYER, license_number=f"1321120000000010{i}", home_center=city.center_a,
            criminal_defense_since=dt.date(2010, 1, 1)))


def test_a_justified_refusal_restarts_the_clock_until_another_lawyer_is_assigned(city, two_seniors):
    """SPC interpretation art. 50 para. 2: the defendant refused the lawyer for a justified reason; the center
    assigns another within the notice period again (restarted from the court's new notice)."""
    notice = send_notice(city)
    reviewer = city.user("reviewer_a")
    first = case_assign(actor=reviewer, public_id=notice.case.public_id)
    clocks = Deadline.objects.filter(subject_id=notice.case.pk, rule__code="assign-on-notice")
    assert clocks.filter(met_at__isnull=True).count() == 0
    notice_record_refusal(actor=reviewer, public_id=notice.public_id, reason="被告人认为律师与被害人相识")
    restarted = clocks.get(met_at__isnull=True, cancelled_at__isnull=True)
    assert restarted.started_on == timezone.localdate()
    second = case_change_provider(actor=reviewer, public_id=notice.case.public_id, reason="被告人拒绝，理由正当")
    assert second.provider_id != first.provider_id
    assert clocks.filter(met_at__isnull=True, cancelled_at__isnull=True).count() == 0


def test_a_refusal_is_recorded_only_by_the_center_on_an_assigned_notice(city):
    notice = send_notice(city)
    with pytest.raises(PermissionDenied):
        notice_record_refusal(actor=city.user("organ_a"), public_id=notice.public_id, reason="被告人拒绝指派律师")
    with pytest.raises(ValidationFailed):
        notice_record_refusal(actor=city.user("reviewer_a"), public_id=notice.public_id, reason="")
    with pytest.raises(Conflict):
        notice_record_refusal(actor=city.user("reviewer_a"), public_id=notice.public_id, reason="被告人拒绝指派律师")
