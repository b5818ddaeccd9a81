"""Office screens for organisation master data: pages render, filters narrow, htmx gets the rows only, and list
pages run a bounded number of queries however many rows there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.org.models import (
    Center,
    District,
    DistrictPopulation,
    Firm,
    Language,
    MinimumWage,
    Provider,
    Specialty,
    Staff,
    StaffQualification,
    Station,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results"}


@pytest.fixture
def org(db):
    """A little master data on the reference data's 京口区: its center, a station, a firm, a lawyer and a staff
    member."""
    today = timezone.localdate()
    district = District.objects.get(code="321102")
    center = Center.objects.create(
        name="京口区法律援助中心", doc_prefix="京法援", level="district", district=district,
        address="京口区中山东路 1 号", phone="0511-12345678",
    )
    station = Station.objects.create(
        name="京口区人民法院工作站", type="court", center=center, district=district, address="京口区法院路 2 号",
        latitude=Decimal("32.200000"), longitude=Decimal("119.450000"), has_duty_lawyer=True,
    )
    other_station = Station.objects.create(
        name="京口区妇联工作站", type="womens_federation", center=center, district=district, address="京口区妇联",
        latitude=Decimal("32.210000"), longitude=Decimal("119.460000"), coordinates_approximate=True,
    )
    firm = Firm.objects.create(name="镇江正诚律师事务所", kind="law_firm", district=district)
    criminal = Specialty.objects.create(code="criminal", name="刑事辩护")
    labor = Specialty.objects.create(code="labor", name="劳动争议")
    dialect = Language.objects.create(code="zhenjiang", name="镇江话")
    lawyer = Provider.objects.create(
        name="周律师", kind="lawyer", firm=firm, home_center=center, license_number="13211200010000001",
        practice_since=today.replace(year=today.year - 12) - dt.timedelta(days=1),
        criminal_defense_since=today.replace(year=today.year - 5) - dt.timedelta(days=1),
        excellent_team=True, criminal_pool=True, capacity=10,
    )
    lawyer.specialties.add(criminal)
    lawyer.languages.add(dialect)
    worker = Provider.objects.create(name="吴工作者", kind="grassroots_worker", home_center=center)
    worker.specialties.add(labor)
    staff = Staff.objects.create(name="郑审查", center=center, position="审查员")
    StaffQualification.objects.create(
        staff=staff, kind="legal_profession", number="A2015000001", valid_from=today - dt.timedelta(days=3000)
    )
    StaffQualification.objects.create(
        staff=staff, kind="legal_aid_permit", number="FY-001",
        valid_from=today - dt.timedelta(days=800), valid_to=today - dt.timedelta(days=1),
    )
    user = User.objects.create_user(
        username="reviewer", password="correct-horse-battery", role="center_reviewer", center=center
    )
    return {
        "district": district, "center": center, "station": station, "other_station": other_station, "firm": firm,
        "lawyer": lawyer, "worker": worker, "staff": staff, "user": user, "criminal": criminal, "labor": labor,
    }


@pytest.fixture
def office(client, org):
    sign_in(client, org["user"])
    return client


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- Pages render ----------------------------------------------------------------------------------------------


def test_district_list_shows_population_and_wage_history(office):
    """The page shows the reference data the migrations load: every district with its population and its wage
    history, the row in force today marked in each."""
    html = _html(office.get(reverse("org:districts")))
    assert "<html" in html
    jingkou = html.split('id="district-321102"', 1)[1].split("</section>", 1)[0]
    for text in ("京口区", "321102", "市辖区", "国家区划代码", "355757", "第七次全国人口普查（2020）",
                 "2660.00", "2490.00", "2280.00", "2020.00", "江苏省最低工资标准（一类地区）", "京口区法律援助中心"):
        assert text in jingkou, text
    assert "估算" in html  # 润州区, 丹徒区 and the New Area share one published total
    # The row in force today is marked, and only that one, in every district.
    assert html.count('aria-current="true"') == District.objects.count()
    today = timezone.localdate()
    current = MinimumWage.objects.in_force_on(today).get(district__code="321102")
    current_row = jingkou.split('aria-current="true"', 1)[1].split("</tr>", 1)[0]
    assert str(current.monthly_amount) in current_row and "今日适用" in current_row


def test_district_list_marks_unofficial_codes(office):
    html = _html(office.get(reverse("org:districts")))
    new_area = html.split('id="district-321171"', 1)[1].split("</section>", 1)[0]
    assert "镇江新区" in new_area and "功能区" in new_area and "非国家区划代码" in new_area


def test_center_list_shows_counts_of_active_rows(office, org):
    Station.objects.create(
        name="已撤销工作站", type="union", center=org["center"], district=org["district"], address="—",
        latitude=Decimal("32.1"), longitude=Decimal("119.4"), active=False,
    )
    response = office.get(reverse("org:centers"))
    html = _html(response)
    for text in ("京口区法律援助中心", "区（县级市）级", "京口区中山东路 1 号", "0511-12345678", "京法援"):
        assert text in html, text
    center = response.context["page"][0]
    assert (center.station_count, center.provider_count) == (2, 2)
    assert f"?center={org['center'].pk}" in html


def test_station_list_shows_stations(office):
    html = _html(office.get(reverse("org:stations")))
    for text in ("京口区人民法院工作站", "法院", "工作站", "京口区法院路 2 号", "32.200000", "119.450000",
                 "设值班律师", "京口区妇联工作站", "近似", "工作日 8:30-12:00"):
        assert text in html, text
    assert '<label class="visually-hidden" for="station-q">' in html
    assert 'hx-target="#results"' in html and 'hx-push-url="true"' in html


def test_provider_list_shows_providers(office, org):
    html = _html(office.get(reverse("org:providers")))
    for text in ("周律师", "镇江正诚律师事务所", "京口区法律援助中心", "12 年", "5 年", "刑事辩护", "镇江话",
                 "名优律师团", "刑辩库", "吴工作者", "劳动争议", reverse("org:provider", args=[org["lawyer"].pk])):
        assert text in html, text


def test_provider_detail_shows_all_fields(office, org):
    html = _html(office.get(reverse("org:provider", args=[org["lawyer"].pk])))
    for text in ("周律师", "律师", "镇江正诚律师事务所", "13211200010000001", "至今 12 年", "至今 5 年",
                 "刑事辩护", "镇江话", "最大在办案件数", "10", "京口区法律援助中心"):
        assert text in html, text


def test_provider_detail_unknown_is_404(office):
    assert office.get(reverse("org:provider", args=[999999])).status_code == 404


def test_staff_list_shows_qualifications_with_validity_today(office):
    html = _html(office.get(reverse("org:staff")))
    for text in ("郑审查", "京口区法律援助中心", "审查员", "法律职业资格", "A2015000001", "法律援助工作证", "FY-001"):
        assert text in html, text
    assert html.count("今日有效") == 1
    assert html.count("已失效") == 1


def test_pages_need_sign_in(client, org):
    response = client.get(reverse("org:stations"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Filters -----------------------------------------------------------------------------------------------------


def test_station_type_filter(office):
    html = _html(office.get(reverse("org:stations"), {"type": "court"}))
    assert "京口区人民法院工作站" in html and "京口区妇联工作站" not in html
    assert '<option value="court" selected>' in html


def test_station_duty_and_district_filters(office):
    html = _html(office.get(reverse("org:stations"), {"duty": "1"}))
    assert "京口区人民法院工作站" in html and "京口区妇联工作站" not in html
    assert 'value="1" checked' in html
    html = _html(office.get(reverse("org:stations"), {"district": "321100"}))
    assert "京口区人民法院工作站" not in html and "没有符合条件" in html


def test_provider_specialty_filter(office):
    html = _html(office.get(reverse("org:providers"), {"specialty": "labor"}))
    assert "吴工作者" in html and "周律师" not in html
    assert '<option value="labor" selected>' in html


def test_provider_flag_and_kind_filters(office):
    for params in ({"excellent": "1"}, {"pool": "1"}, {"kind": "lawyer"}, {"q": "正诚"}):
        html = _html(office.get(reverse("org:providers"), params))
        assert "周律师" in html and "吴工作者" not in html, params


def test_staff_center_filter(office, org):
    other_district = District.objects.get(code="321111")
    other = Center.objects.create(name="润州区法律援助中心", doc_prefix="润法援", level="district",
                                  district=other_district, address="润州区")
    Staff.objects.create(name="钱主任", center=other)
    html = _html(office.get(reverse("org:staff"), {"center": str(other.pk)}))
    assert "钱主任" in html and "郑审查" not in html
    assert f'<option value="{other.pk}" selected>' in html


# --- htmx partial refresh --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "params", "present", "absent"),
    [
        ("org:stations", {"type": "court"}, "京口区人民法院工作站", "京口区妇联工作站"),
        ("org:providers", {"specialty": "criminal"}, "周律师", "吴工作者"),
        ("org:staff", {"q": "郑"}, "郑审查", None),
    ],
)
def test_htmx_request_gets_rows_only(office, url_name, params, present, absent):
    response = office.get(reverse(url_name), params, headers=HTMX)
    html = _html(response)
    assert "<html" not in html and "<form" not in html and 'id="results"' not in html
    assert "<table" in html and present in html
    if absent:
        assert absent not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_request_for_another_target_gets_full_page(office):
    html = _html(office.get(reverse("org:stations"), headers={"HX-Request": "true", "HX-Target": "main"}))
    assert "<html" in html and 'id="results"' in html


# --- Bounded queries -------------------------------------------------------------------------------------------


def _make_rows(org, start: int, n: int) -> None:
    """n more of everything each list page shows, each with its related rows."""
    for i in range(start, start + n):
        district = District.objects.create(code=f"{400000 + i:06d}", name=f"测试区{i}", kind="district")
        DistrictPopulation.objects.create(district=district, year=2024, population=1000 + i, source="测试")
        MinimumWage.objects.create(district=district, monthly_amount=Decimal("2000"), legal_basis="测试依据",
                                   effective_from=dt.date(2024, 1, 1))
        center = Center.objects.create(name=f"测试中心{i}", doc_prefix="测", level="district", district=district,
                                       address="测试地址")
        Station.objects.create(name=f"测试工作站{i}", type="court", center=center, district=district, address="测试",
                               latitude=Decimal("32"), longitude=Decimal("119"))
        provider = Provider.objects.create(name=f"测试律师{i}", kind="lawyer", license_number=f"L{i}",
                                           firm=org["firm"], home_center=center)
        provider.specialties.add(org["criminal"], org["labor"])
        staff = Staff.objects.create(name=f"测试人员{i}", center=center)
        StaffQualification.objects.create(staff=staff, kind="legal_profession", valid_from=dt.date(2020, 1, 1))


LIST_PAGES = [
    ("org:districts", {}),
    ("org:centers", {}),
    ("org:stations", {}),
    ("org:providers", {}),
    ("org:providers", {"specialty": "criminal"}),
    ("org:staff", {}),
]
MAX_QUERIES = 10  # session + user + the page's own few queries


@pytest.mark.parametrize(("url_name", "params"), LIST_PAGES)
def test_list_pages_run_a_bounded_number_of_queries(office, org, django_assert_max_num_queries, url_name, params):
    _make_rows(org, 0, 2)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        _html(office.get(reverse(url_name), params))
    _make_rows(org, 2, 30)  # more rows than a page holds, too
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        _html(office.get(reverse(url_name), params))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_provider_detail_runs_a_bounded_number_of_queries(office, org, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        _html(office.get(reverse("org:provider", args=[org["lawyer"].pk])))


def test_district_and_center_lists_are_paged_and_searchable(office, monkeypatch):
    """A country's database holds 3,000 districts and centers: listed whole, the districts page was 5.9 MB."""
    from fayuan.org import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    html = _html(office.get(reverse("org:districts")))
    assert html.count('<section class="card') == 2 and f"第 1 / {(District.objects.count() + 1) // 2} 页" in html
    found = _html(office.get(reverse("org:districts"), {"q": "丹阳"}))
    assert 'id="district-321181"' in found and found.count('<section class="card') == 1
    assert _html(office.get(reverse("org:districts"), {"q": "3211"})).count('<section class="card') == 2
    assert "没有符合条件的行政区" in _html(office.get(reverse("org:districts"), {"q": "不存在"}))
    centers = _html(office.get(reverse("org:centers"), {"q": "京口"}))
    assert "京口区法律援助中心" in centers
    assert "没有符合条件的法律援助中心" in _html(office.get(reverse("org:centers"), {"q": "不存在"}))
