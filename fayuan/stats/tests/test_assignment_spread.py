"""The spread of assignments per provider and method (点援制 vs rotation), for center staff and the bureau."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.cases import services as cases
from fayuan.cases.models import AssignmentMethod
from fayuan.cases.tests.conftest import granted
from fayuan.org.models import Provider
from fayuan.portal import services
from fayuan.stats.selectors import assignment_spread, spread_of

URL = "/office/stats/assignment-spread/"


def _client(user: User) -> Client:
    c = Client()
    sign_in(c, user)
    return c


def test_spread_of_assignments(city, providers):
    reviewer = city.user("reviewer_a")
    Provider.objects.update(capacity=3)  # equal capacities: the rotation then balances plain counts
    chosen = granted(city, applicant_id=city.applicant_person.public_id)
    services.provider_choose(account=city.user("applicant"), public_id=chosen.public_id,
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


def test_the_spread_page_is_for_center_staff_and_the_bureau(city, providers):
    for key in ("reviewer_a", "director_a", "bureau"):
        r = _client(city.user(key)).get(URL)
        assert r.status_code == 200 and "轮派" in r.content.decode(), key
    page = _client(city.user("bureau")).get(f"{URL}?center={city.center_b.pk}").content.decode()
    assert city.center_b.name in page
    # A reviewer of another center only ever sees their own center.
    page = _client(city.user("reviewer_b")).get(f"{URL}?center={city.center_a.pk}")
    assert city.center_b.name in page.content.decode() and city.center_a.name not in page.content.decode()
    for key in ("applicant", "provider_a", "clerk_a", "auditor"):
        assert _client(city.user(key)).get(URL).status_code == 404, key
    assert Client().get(URL).status_code == 302
