"""The public pages: readable without signing in, no inline script or style (CSP), data-driven rules, the
self-check on the same engine, stations by district or distance, the directory without personal phones, and the
elderly-friendly mode that sticks."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from fayuan.core.geo import haversine_km
from fayuan.eligibility import engine
from fayuan.eligibility.ruleset import load_ruleset
from fayuan.org.models import Firm, FirmKind, Provider, Specialty, Station, StationType
from fayuan.portal import routing

from .helpers import URLS

pytestmark = pytest.mark.urls(URLS)
PAGES = ("/", "/guide/", "/who/", "/bring/", "/hotline/", "/stations/", "/self-check/", "/lawyers/", "/privacy/",
         "/signin/")


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_need_no_sign_in_and_no_inline_code(city, url):
    r = Client().get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle=", html) and "<style" not in html, "inline style"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert 'lang="zh-Hans"' in html and "12348" in html


def test_home_shows_no_made_up_typical_cases(city):
    html = Client().get("/").content.decode()
    assert 'data-testid="typical-cases"' not in html


def test_who_can_apply_comes_from_the_rules_in_force(city):
    html = Client().get("/who/").content.decode()
    for text in ("请求支付劳动报酬", "婚姻家庭纠纷", "未成年人", "因见义勇为行为主张相关民事权益", "2660.00",
                 "法律援助法第三十一条第五项"):
        assert text in html, text
    assert "因经济困难没有委托辩护人" not in html  # only the mandatory grounds are listed as "应当"


def test_self_check_uses_the_same_engine_and_rules(city):
    data = {"district": city.district_a.code, "case_type": "civil", "matter": "wages", "age": "40",
            "household_size": "3", "household_monthly_income": "6000", "groups": ["migrant_worker"]}
    r = Client().post("/self-check/", data)
    html = r.content.decode()
    result = r.context["result"]
    on = timezone.localdate()
    expected = engine.evaluate(engine.Applicant(
        case_type="civil", matter="wages", criminal_ground=None, birth_date=on.replace(year=on.year - 40),
        household_size=3, household_monthly_income=Decimal("6000"), groups=frozenset({"migrant_worker"})),
        load_ruleset(district_code=city.district_a.code, on=on))
    assert result == expected and result.eligible and result.means_test == "exempt"
    assert 'data-testid="selfcheck-result"' in html and "免予经济困难审查" in html
    for criterion in result.criteria:
        assert criterion.basis in html
    # Not in the catalogue: says so, with the article.
    r = Client().post("/self-check/", {**data, "matter": "", "case_type": "civil"})
    assert r.context["result"] is None and "请选择申请事项" in r.content.decode()
    r = Client().post("/self-check/", {**data, "groups": [], "household_size": "1", "household_monthly_income": "9000"})
    assert not r.context["result"].eligible and "可能不符合" in r.content.decode()


def test_self_check_mandatory_defense_needs_no_means_test(city):
    r = Client().post("/self-check/", {"district": city.district_b.code, "case_type": "criminal",
                                       "criminal_ground": "minor", "household_size": "4",
                                       "household_monthly_income": "50000"})
    assert r.context["result"].eligible and r.context["result"].means_test == "not_required"


def test_stations_by_district_and_by_distance(city):
    Station.objects.create(name="京口区某社区联络点", type=StationType.COMMUNITY_POINT, center=city.center_a,
                           district=city.district_a, address="京口区某社区", latitude=Decimal("32.205"),
                           longitude=Decimal("119.470"))
    html = Client().get(f"/stations/?district={city.district_b.code}").content.decode()
    assert city.station_b.name in html and city.station_a.name not in html
    r = Client().get("/stations/?lat=32.2049&lon=119.4701")
    hits = r.context["hits"]
    assert hits[0].station.name == "京口区某社区联络点" and hits[0].distance_km == 0.0
    assert 'data-testid="nearby-note"' in r.content.decode()
    assert "portal/locate.js" in r.content.decode()
    # Nonsense coordinates are ignored, not an error.
    assert Client().get("/stations/?lat=abc&lon=999").status_code == 200


def test_haversine():
    # Zhenjiang railway station to Danyang: about 30 km.
    assert 28 < haversine_km(32.204, 119.425, 32.000, 119.606) < 30


def test_the_directory_shows_the_firm_phone_but_never_a_personal_one(city):
    firm = Firm.objects.create(name="镇江某律师事务所", kind=FirmKind.LAW_FIRM, district=city.district_a,
                               phone="0511-88880000")
    provider = Provider.objects.create(name="周律师", kind="lawyer", license_number="13211200000009999", firm=firm,
                                       home_center=city.center_a, phone="13912345678",
                                       practice_since=dt.date(2010, 1, 1), excellent_team=True)
    provider.specialties.add(Specialty.objects.create(code="labour", name="劳动争议"))
    html = Client().get("/lawyers/").content.decode()
    assert "周律师" in html and "0511-88880000" in html and "名优律师团" in html and "劳动争议" in html
    assert "13912345678" not in html
    assert "周律师" not in Client().get(f"/lawyers/?center={city.center_b.pk}").content.decode()
    assert "周律师" in Client().get("/lawyers/?specialty=labour").content.decode()


def test_elderly_mode_sticks_once_chosen(city):
    c = Client()
    assert 'class="mode-elderly"' not in c.get("/guide/").content.decode()
    r = c.get("/mode/?set=elderly&next=/guide/")
    assert r.status_code == 302 and r["Location"] == "/guide/"
    assert r.cookies["fy_mode"].value == "elderly" and r.cookies["fy_mode"]["max-age"] == 365 * 24 * 3600
    for url in ("/", "/guide/", "/stations/"):
        html = c.get(url).content.decode()
        assert '<html lang="zh-Hans" class="mode-elderly">' in html and "标准模式" in html
    assert "打官司没钱请律师" in c.get("/").content.decode()  # plainer wording
    c.post("/mode/", {"set": "standard", "next": "/"})
    assert 'class="mode-elderly"' not in c.get("/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_mode_switch_never_redirects_off_site(city, target):
    r = Client().get("/mode/", {"set": "elderly", "next": target})
    assert r["Location"] == "/"


def test_routing_rule_of_article_38():
    organ = routing.Organ(1, "丹阳市人民法院", 20, "丹阳市法律援助中心")
    area = routing.Area("321102", "京口区", 10, "京口区法律援助中心")
    assert routing.route(case_type="civil", organ=organ, area=area).center_id == 20
    assert routing.route(case_type="criminal", organ=None, area=area).center_id == 10
    r = routing.route(case_type="non_litigation", organ=organ, area=area, area_reason="organ")
    assert r.center_id == 10 and "争议处理机关所在地在京口区" in r.explanation
    with pytest.raises(routing.RoutingError) as exc:
        routing.route(case_type="non_litigation", organ=None, area=area)
    assert exc.value.field == "area_reason"
    with pytest.raises(routing.RoutingError):
        routing.route(case_type="administrative", organ=None, area=None)
    with pytest.raises(routing.RoutingError):
        routing.route(case_type="", organ=organ, area=area)
