"""The public pages: no sign-in to read, no JavaScript needed, and nothing that depends on who is asking."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from fayuan.core.demo_seed import demo_seed_context
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.eligibility import engine
from fayuan.eligibility.ruleset import load_ruleset
from fayuan.org.models import Center, District, Specialty
from fayuan.typical_cases import selectors as typical_selectors

from . import selectors
from .context_processors import ELDERLY, MODE_COOKIE, STANDARD
from .forms import SelfCheckForm
from .services.application import area_for

MODE_COOKIE_AGE = 365 * 24 * 3600
MEANS_TEST_LABELS = {
    "passed": "符合经济困难标准", "failed": "不符合经济困难标准", "exempt": "免予经济困难审查",
    "not_required": "不需要审查经济状况", "no_standard": "暂时无法判断经济状况（当地标准尚未录入）",
}


HOME_TYPICAL_CASES = 5
TYPICAL_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    # Accepted typical cases only: each passed the anonymization check and the city bureau's review.
    return render(request, "portal/home.html", {
        "typical_cases": typical_selectors.public_typical_cases()[:HOME_TYPICAL_CASES], **demo_seed_context()})


def typical_cases(request: HttpRequest) -> HttpResponse:
    page = Paginator(typical_selectors.public_typical_cases(), TYPICAL_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/typical_cases.html", {"page": page})


def typical_case(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        item = typical_selectors.public_typical_case(public_id)
    except NotFoundOrForbidden:
        raise Http404("未找到该典型案例。") from None
    return render(request, "portal/typical_case.html", {"t": item})


def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/guide.html")


def who(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    return render(request, "portal/who.html", {"rules": selectors.rules_in_force(on),
                                               "group_names": engine.GROUP_NAMES})


def bring(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/bring.html")


def hotline(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/hotline.html", {"centers": selectors.centers()})


def _coordinate(raw: str | None, low: float, high: float) -> float | None:
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return round(value, 3) if low <= value <= high else None


def stations(request: HttpRequest) -> HttpResponse:
    district = request.GET.get("district", "")
    if district and not District.objects.filter(code=district).exists():
        district = ""
    lat = _coordinate(request.GET.get("lat"), -90, 90)
    lon = _coordinate(request.GET.get("lon"), -180, 180)
    if lat is None or lon is None:
        lat = lon = None
    hits = selectors.stations_for(district=district, lat=lat, lon=lon)
    return render(request, "portal/stations.html", {
        "hits": hits, "districts": selectors.districts(), "district": district, "nearby": lat is not None,
        "centers": selectors.centers(),
    })


def _self_check(form: SelfCheckForm) -> tuple[engine.Result | None, str]:
    data = form.cleaned_data
    on = timezone.localdate()
    district = District.objects.get(code=data["district"])
    # The means test follows the center that would receive the application, exactly as on the staff side.
    try:
        center_id = area_for(district).center_id
    except ValidationFailed as exc:
        return None, exc.message
    center = Center.objects.filter(pk=center_id).select_related("district", "seat_district").first()
    wage_district = center.means_test_district if center is not None else None
    code = wage_district.code if wage_district is not None else district.code
    try:
        rules = load_ruleset(district_code=code, on=on)
    except ValidationFailed as exc:
        return None, exc.message
    criminal = data["case_type"] == "criminal"
    applicant = engine.Applicant(
        case_type=data["case_type"], matter=None if criminal else data.get("matter") or None,
        criminal_ground=(data.get("criminal_ground") or None) if criminal else None,
        birth_date=form.birth_date(on), household_size=data["household_size"],
        household_monthly_income=data["household_monthly_income"], groups=frozenset(data.get("groups") or ()),
        facts=frozenset(data.get("facts") or ()),
    )
    return engine.evaluate(applicant, rules), ""


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    """A server-rendered form posting to the same engine and rule rows as the staff review (not the API)."""
    result, problem = None, ""
    form = SelfCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, problem = _self_check(form)
    return render(request, "portal/self_check.html", {
        "form": form, "result": result, "problem": problem,
        "means_label": MEANS_TEST_LABELS.get(result.means_test, "") if result else "",
    })


def lawyers(request: HttpRequest) -> HttpResponse:
    center = request.GET.get("center", "")
    specialty = request.GET.get("specialty", "")
    page = Paginator(selectors.provider_directory(center=center, specialty=specialty), 20).get_page(
        request.GET.get("page"))
    profiles = selectors.provider_profiles(page.object_list)
    return render(request, "portal/lawyers.html", {
        "page": page, "profiles": profiles, "centers": selectors.centers(), "center": center,
        "specialties": Specialty.objects.order_by("code"), "specialty": specialty,
    })


def privacy(request: HttpRequest) -> HttpResponse:
    from .consent import SENSITIVE_RELATIVE, SENSITIVE_SELF

    return render(request, "portal/privacy.html", {"texts": [SENSITIVE_SELF, SENSITIVE_RELATIVE]})


@require_http_methods(["GET", "POST"])
def mode(request: HttpRequest) -> HttpResponse:
    """Switch the elderly-friendly mode with a link or a form (no JavaScript); it sticks in a cookie."""
    params = request.POST if request.method == "POST" else request.GET
    chosen = ELDERLY if params.get("set") == ELDERLY else STANDARD
    target = params.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(MODE_COOKIE, chosen, max_age=MODE_COOKIE_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure())
    return response
