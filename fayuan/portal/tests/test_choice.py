"""点援制: the recipient chooses among the providers the rotation would accept, within the center's window; the
rotation assigns after it; capacity holds under concurrent choices (PostgreSQL). The staff's spread report is in
``fayuan/stats/tests``."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.test import Client

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.cases import services as cases
from fayuan.cases.models import (
    Assignment,
    AssignmentMethod,
    CaseEvent,
    ClientChoiceSettings,
    ProviderPreference,
    Status,
)
from fayuan.cases.selectors import can_choose, choice_window
from fayuan.cases.tests.conftest import granted, receive
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.deadlines.models import Deadline
from fayuan.org.models import Language, Provider
from fayuan.people.services import person_link_account
from fayuan.portal import services

from .helpers import URLS

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Zhenjiang


def _client(user: User) -> Client:
    c = Client()
    sign_in(c, user)
    return c


def _granted_for_applicant(city, **overrides):
    return granted(city, applicant_id=city.applicant_person.public_id, **overrides)


@pytest.mark.urls(URLS)
def test_the_recipient_chooses_a_lawyer(city, providers):
    applicant = city.user("applicant")
    case = _granted_for_applicant(city)
    chosen = providers[2]
    chosen.excellent_team = True
    chosen.save()
    chosen.languages.add(Language.objects.create(code="zhenjiang", name="镇江话"))
    c = _client(applicant)
    page = c.get(f"/my/cases/{case.public_id}/").content.decode()
    assert 'data-testid="choose-link"' in page
    page = c.get(f"/my/cases/{case.public_id}/choose/").content.decode()
    assert f'data-testid="choose-provider-{chosen.pk}"' in page
    assert "名优律师团" in page and "镇江话" in page and "执业年限" in page and "暂无评价" in page
    r = c.post(f"/my/cases/{case.public_id}/choose/", {"provider": str(chosen.pk)})
    assert r.status_code == 302
    assignment = Assignment.objects.get(case=case, is_active=True)
    assert assignment.provider == chosen and assignment.method == AssignmentMethod.CLIENT_CHOICE
    assert assignment.assigned_by is None
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert CaseEvent.objects.filter(case=case, kind="client_chose_provider", actor=applicant).exists()
    page = c.get(f"/my/cases/{case.public_id}/").content.decode()
    assert "您自己选择的律师" in page and 'data-testid="choose-link"' not in page
    with pytest.raises(Conflict):
        services.provider_choose(account=applicant, public_id=case.public_id, provider_id=chosen.pk)


def test_only_listed_providers_can_be_chosen(city, providers):
    case = _granted_for_applicant(city)
    stranger = Provider.objects.create(name="外中心律师", kind="lawyer", license_number="13211299999999999",
                                       home_center=city.center_b)
    with pytest.raises(ValidationFailed, match="从列表中选择"):
        services.provider_choose(account=city.user("applicant"), public_id=case.public_id,
                                              provider_id=stranger.pk)
    assert not Assignment.objects.filter(case=case).exists()


@pytest.mark.urls(URLS)
def test_a_place_taken_meanwhile_asks_to_choose_again(city, providers):
    target = providers[2]
    Provider.objects.filter(pk=target.pk).update(capacity=1)
    case = _granted_for_applicant(city)
    c = _client(city.user("applicant"))
    assert f"choose-provider-{target.pk}" in c.get(f"/my/cases/{case.public_id}/choose/").content.decode()
    # The center gives the last place to another case before the recipient presses the button.
    other = granted(city)
    cases.case_assign(actor=city.user("reviewer_a"), public_id=other.public_id, provider_id=target.pk,
                      reason="测试：占用最后名额")
    r = c.post(f"/my/cases/{case.public_id}/choose/", {"provider": str(target.pk)})
    page = r.content.decode()
    assert r.status_code == 409 and cases.CHOOSE_AGAIN in page
    assert f"choose-provider-{target.pk}" not in page and "choose-provider-" in page
    assert not Assignment.objects.filter(case=case).exists()


def test_the_window_closes_and_the_rotation_assigns_within_art_43(city, providers):
    """Granted Monday 2 March: art. 43's 3 days (shipped row assign-provider) end Thursday 5 March; the window
    closes the day before (Wednesday 4 March), and the rotation assigns on the 5th: on time, never overdue."""
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
        counter_only = granted(city)  # 张三 has no account: the center assigns as usual, the job leaves it
    window = choice_window(case)
    assert window is not None and window.assignment_due_on == dt.date(2026, 3, 5)
    assert window.due_on == dt.date(2026, 3, 4)
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        assert cases.client_choice_expire(on=dt.date(2026, 3, 4)) == {"assigned": 0, "no_provider": 0}
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        with pytest.raises(Conflict, match="期限已过"):
            services.provider_choose(account=city.user("applicant"), public_id=case.public_id,
                                     provider_id=providers[0].pk)
        assert cases.client_choice_expire(on=dt.date(2026, 3, 5)) == {"assigned": 1, "no_provider": 0}
        assert cases.client_choice_expire(on=dt.date(2026, 3, 5)) == {"assigned": 0, "no_provider": 0}
    assignment = Assignment.objects.get(case=case)
    assert assignment.method == AssignmentMethod.ROTATION and assignment.assigned_by is None
    assert CaseEvent.objects.filter(case=case, kind="client_choice_lapsed").exists()
    assert not Assignment.objects.filter(case=counter_only).exists()
    met = Deadline.objects.get(rule__code="assign-provider", subject_id=case.pk, met_at__isnull=False)
    assert met.met_late is False, "the case waiting for a choice was assigned by the statutory deadline"


def test_a_center_cannot_set_a_window_longer_than_art_43_allows(city, providers):
    setting = ClientChoiceSettings(center=city.center_a, choice_window_days=5)
    with pytest.raises(DjangoValidationError):
        setting.full_clean()
    ClientChoiceSettings.objects.create(center=city.center_a, choice_window_days=30)  # a row written around it
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
    assert choice_window(case).due_on == dt.date(2026, 3, 4)


def test_the_recipient_can_choose_from_receipt_and_the_grant_assigns_that_lawyer(
        city, providers, django_capture_on_commit_callbacks):
    applicant = city.user("applicant")
    case = receive(city, applicant_id=city.applicant_person.public_id)
    assert can_choose(case) and choice_window(case) is None
    chosen = providers[2]
    c = _client(applicant)
    assert 'data-testid="choose-ahead-link"' in c.get(f"/my/cases/{case.public_id}/").content.decode()
    r = c.post(f"/my/cases/{case.public_id}/choose/", {"provider": str(chosen.pk)})
    assert r.status_code == 302
    assert ProviderPreference.objects.get(case=case).provider == chosen
    assert not Assignment.objects.filter(case=case).exists()
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    assignment = Assignment.objects.get(case=case, is_active=True)
    assert assignment.provider == chosen and assignment.method == AssignmentMethod.CLIENT_CHOICE
    assert CaseEvent.objects.filter(case=case, kind="client_choice_honoured").exists()


def test_a_preferred_lawyer_who_is_full_at_the_grant_leaves_the_choice_open(
        city, providers, django_capture_on_commit_callbacks):
    case = receive(city, applicant_id=city.applicant_person.public_id)
    chosen = providers[2]
    services.provider_choose(account=city.user("applicant"), public_id=case.public_id, provider_id=chosen.pk)
    Provider.objects.filter(pk=chosen.pk).update(capacity=0)
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    case.refresh_from_db()
    assert case.status == Status.GRANTED and not Assignment.objects.filter(case=case).exists()
    assert CaseEvent.objects.filter(case=case, kind="client_choice_unavailable").exists()
    assert can_choose(case)


def test_the_window_is_set_per_center(city, providers):
    ClientChoiceSettings.objects.create(center=city.center_a, choice_window_days=2)
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
    assert choice_window(case).due_on == dt.date(2026, 3, 4)


def test_no_free_provider_leaves_the_case_for_the_center(city, providers):
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
    Provider.objects.update(active=False)
    assert cases.client_choice_expire(on=dt.date(2026, 3, 30)) == {"assigned": 0, "no_provider": 1}
    case.refresh_from_db()
    assert case.status == Status.GRANTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recipients_choosing_the_last_place_at_once(city, providers):
    """Two recipients press "choose" for the same lawyer, who has one free place, at the same moment: exactly one
    gets the lawyer; the other is told the place is gone and can choose again."""
    target = providers[2]
    Provider.objects.filter(pk=target.pk).update(capacity=1)
    first = city.user("applicant")
    second = User.objects.create_user(username="applicant2", password="x" * 12, role="applicant")
    person_link_account(actor=city.user("reviewer_a"), public_id=city.person_station_a.public_id, account=second)
    case_one = _granted_for_applicant(city)
    case_two = granted(city, applicant_id=city.person_station_a.public_id)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def choose(user: User, public_id) -> None:
        try:
            barrier.wait()
            services.provider_choose(account=user, public_id=public_id, provider_id=target.pk)
            results[user.username] = "ok"
        except Conflict as exc:
            results[user.username] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=choose, args=(first, case_one.public_id)),
               threading.Thread(target=choose, args=(second, case_two.public_id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == sorted(["ok", cases.CHOOSE_AGAIN])
    assert Assignment.objects.filter(provider=target, is_active=True).count() == 1
    loser = case_two if results["applicant"] == "ok" else case_one
    loser.refresh_from_db()
    assert loser.status == Status.GRANTED and not Assignment.objects.filter(case=loser).exists()
    # The one who lost chooses again, among the others.
    account = second if loser == case_two else first
    again = services.provider_choose(account=account, public_id=loser.public_id,
                                                  provider_id=providers[0].pk)
    assert again.method == AssignmentMethod.CLIENT_CHOICE
