"""点援制: the recipient chooses among the providers the rotation would accept, within the center's window; the
rotation assigns after it; capacity holds under concurrent choices (PostgreSQL). The staff's spread report is in
``fayuan/stats/tests``."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connections
from django.test import Client

from fayuan.accounts.models import User
from fayuan.cases import services as cases
from fayuan.cases.models import Assignment, AssignmentMethod, CaseEvent, ClientChoiceSettings, Status
from fayuan.cases.selectors import choice_window
from fayuan.cases.tests.conftest import granted
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.org.models import Language, Provider
from fayuan.people.services import person_link_account
from fayuan.portal import services

from .helpers import URLS

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Zhenjiang


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
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


def test_the_window_closes_and_the_rotation_assigns(city, providers):
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
        counter_only = granted(city)  # 张三 has no account: the center assigns as usual, the job leaves it
    window = choice_window(case)
    assert window is not None and window.due_on == dt.date(2026, 3, 7)
    with time_machine.travel(T0 + dt.timedelta(days=5), tick=False):
        assert cases.client_choice_expire(on=dt.date(2026, 3, 7)) == {"assigned": 0, "no_provider": 0}
    with time_machine.travel(T0 + dt.timedelta(days=6), tick=False):
        with pytest.raises(Conflict, match="期限已过"):
            services.provider_choose(account=city.user("applicant"), public_id=case.public_id,
                                                  provider_id=providers[0].pk)
        assert cases.client_choice_expire(on=dt.date(2026, 3, 8)) == {"assigned": 1, "no_provider": 0}
        assert cases.client_choice_expire(on=dt.date(2026, 3, 8)) == {"assigned": 0, "no_provider": 0}
    assignment = Assignment.objects.get(case=case)
    assert assignment.method == AssignmentMethod.ROTATION and assignment.assigned_by is None
    assert CaseEvent.objects.filter(case=case, kind="client_choice_lapsed").exists()
    assert not Assignment.objects.filter(case=counter_only).exists()


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
