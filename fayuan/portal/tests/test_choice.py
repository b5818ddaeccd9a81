"""点援制: the recipient chooses among the providers the rotation would accept, within the center's window; the
rotation assigns after it; capacity holds under concurrent choices (PostgreSQL); staff see the spread."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases import services as cases
from fayuan.cases.models import Assignment, AssignmentMethod, CaseEvent, Status
from fayuan.cases.tests.conftest import granted
from fayuan.cases.workflow import BY_ACTION
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.org.models import Language, Provider
from fayuan.people.services import person_link_account
from fayuan.portal import services
from fayuan.portal.models import CenterPortalSettings
from fayuan.portal.selectors import assignment_spread, choice_window, spread_of

from .helpers import URLS

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Zhenjiang


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _granted_for_applicant(city, **overrides):
    return granted(city, applicant_id=city.applicant_person.public_id, **overrides)


def _needs_system_assign() -> None:
    if "system" not in BY_ACTION["assign"].roles:
        pytest.skip('cases/workflow.py: the "assign" transition must allow the "system" role for 点援制')


@pytest.mark.urls(URLS)
def test_the_recipient_chooses_a_lawyer(city, providers):
    _needs_system_assign()
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
        services.case_assign_by_client_choice(account=applicant, public_id=case.public_id, provider_id=chosen.pk)


def test_only_listed_providers_can_be_chosen(city, providers):
    _needs_system_assign()
    case = _granted_for_applicant(city)
    stranger = Provider.objects.create(name="外中心律师", kind="lawyer", license_number="13211299999999999",
                                       home_center=city.center_b)
    with pytest.raises(ValidationFailed, match="从列表中选择"):
        services.case_assign_by_client_choice(account=city.user("applicant"), public_id=case.public_id,
                                              provider_id=stranger.pk)
    assert not Assignment.objects.filter(case=case).exists()


@pytest.mark.urls(URLS)
def test_a_place_taken_meanwhile_asks_to_choose_again(city, providers):
    _needs_system_assign()
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
    assert r.status_code == 409 and services.CHOOSE_AGAIN in page
    assert f"choose-provider-{target.pk}" not in page and "choose-provider-" in page
    assert not Assignment.objects.filter(case=case).exists()


def test_the_window_closes_and_the_rotation_assigns(city, providers):
    _needs_system_assign()
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
        counter_only = granted(city)  # 张三 has no account: the center assigns as usual, the job leaves it
    window = choice_window(case)
    assert window is not None and window.due_on == dt.date(2026, 3, 7)
    with time_machine.travel(T0 + dt.timedelta(days=5), tick=False):
        assert services.client_choice_expire(on=dt.date(2026, 3, 7)) == {"assigned": 0, "no_provider": 0}
    with time_machine.travel(T0 + dt.timedelta(days=6), tick=False):
        with pytest.raises(Conflict, match="期限已过"):
            services.case_assign_by_client_choice(account=city.user("applicant"), public_id=case.public_id,
                                                  provider_id=providers[0].pk)
        assert services.client_choice_expire(on=dt.date(2026, 3, 8)) == {"assigned": 1, "no_provider": 0}
        assert services.client_choice_expire(on=dt.date(2026, 3, 8)) == {"assigned": 0, "no_provider": 0}
    assignment = Assignment.objects.get(case=case)
    assert assignment.method == AssignmentMethod.ROTATION and assignment.assigned_by is None
    assert CaseEvent.objects.filter(case=case, kind="client_choice_lapsed").exists()
    assert not Assignment.objects.filter(case=counter_only).exists()


def test_the_window_is_set_per_center(city, providers):
    CenterPortalSettings.objects.create(center=city.center_a, choice_window_days=2)
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
    assert choice_window(case).due_on == dt.date(2026, 3, 4)


def test_no_free_provider_leaves_the_case_for_the_center(city, providers):
    _needs_system_assign()
    with time_machine.travel(T0, tick=False):
        case = _granted_for_applicant(city)
    Provider.objects.update(active=False)
    assert services.client_choice_expire(on=dt.date(2026, 3, 30)) == {"assigned": 0, "no_provider": 1}
    case.refresh_from_db()
    assert case.status == Status.GRANTED


def test_spread_of_assignments(city, providers):
    _needs_system_assign()
    reviewer = city.user("reviewer_a")
    Provider.objects.update(capacity=3)  # equal capacities: the rotation then balances plain counts
    chosen = _granted_for_applicant(city)
    services.case_assign_by_client_choice(account=city.user("applicant"), public_id=chosen.public_id,
                                          provider_id=providers[0].pk)
    Provider.objects.filter(pk=providers[1].pk).update(active=False)  # no labour specialist: plain rotation
    for _ in range(4):
        cases.case_assign(actor=reviewer, public_id=granted(city).public_id)
    report = assignment_spread(city.center_a, timezone.localdate() - dt.timedelta(days=1))
    assert report.totals[AssignmentMethod.CLIENT_CHOICE] == 1 and report.totals[AssignmentMethod.ROTATION] == 4
    active_rows = [r for r in report.rows if r.active]
    assert len(active_rows) == 4  # 律师0, 律师2, 王律师, 李律师 (律师1 is off the roster)
    assert sum(r.get(AssignmentMethod.ROTATION) for r in active_rows) == 4
    # The rotation spreads 4 cases over 4 providers: one each (律师0, chosen earlier, waited longest for the 4th).
    assert report.spread_rotation.range == 0 and report.spread_rotation.cv == 0
    assert report.spread_total.maximum == 2 and report.spread_total.minimum == 1
    assert [a.method for a in report.recent].count(AssignmentMethod.CLIENT_CHOICE) == 1


def test_spread_statistics():
    s = spread_of([0, 2, 4])
    assert (s.minimum, s.maximum, s.range, s.mean) == (0, 4, 4, 2.0)
    assert s.stdev == 1.63 and s.cv == 0.816
    assert spread_of([]).cv is None and spread_of([0, 0]).cv is None


@pytest.mark.urls(URLS)
def test_the_spread_page_is_for_center_staff_and_the_bureau(city, providers):
    for key in ("reviewer_a", "director_a", "bureau"):
        r = _client(city.user(key)).get("/office/assignment-spread/")
        assert r.status_code == 200 and "轮派" in r.content.decode(), key
    page = _client(city.user("bureau")).get(f"/office/assignment-spread/?center={city.center_b.pk}").content.decode()
    assert city.center_b.name in page
    # A reviewer of another center only ever sees their own center.
    page = _client(city.user("reviewer_b")).get(f"/office/assignment-spread/?center={city.center_a.pk}")
    assert city.center_b.name in page.content.decode() and city.center_a.name not in page.content.decode()
    for key in ("applicant", "provider_a", "clerk_a", "auditor"):
        assert _client(city.user(key)).get("/office/assignment-spread/").status_code == 404, key
    assert Client().get("/office/assignment-spread/").status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recipients_choosing_the_last_place_at_once(city, providers):
    """Two recipients press "choose" for the same lawyer, who has one free place, at the same moment: exactly one
    gets the lawyer; the other is told the place is gone and can choose again."""
    _needs_system_assign()
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
            services.case_assign_by_client_choice(account=user, public_id=public_id, provider_id=target.pk)
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
    assert sorted(results.values()) == sorted(["ok", services.CHOOSE_AGAIN])
    assert Assignment.objects.filter(provider=target, is_active=True).count() == 1
    loser = case_two if results["applicant"] == "ok" else case_one
    loser.refresh_from_db()
    assert loser.status == Status.GRANTED and not Assignment.objects.filter(case=loser).exists()
    # The one who lost chooses again, among the others.
    account = second if loser == case_two else first
    again = services.case_assign_by_client_choice(account=account, public_id=loser.public_id,
                                                  provider_id=providers[0].pk)
    assert again.method == AssignmentMethod.CLIENT_CHOICE
