"""A whole case through the screens, as the people at them would do it (no browser, no JavaScript), and the
application form's refusals: nothing is created when anything is wrong."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases import services
from fayuan.cases.models import Case, CaseFile, Status
from fayuan.core.errors import ValidationFailed
from fayuan.core.models import AuditEntry

from .views_support import PNG, _clock, _media, as_user, lawyers, png, provider_user, url  # noqa: F401


def _application(city, **overrides):
    data = {
        "applicant": str(city.person_a.public_id), "channel": "counter", "case_type": "civil", "matter": "wages",
        "matter_summary": "追索劳动报酬", "opposing_party": "某建筑公司", "handling_organ": "京口区人民法院",
        "household_size": "3", "household_monthly_income": "3000", "income_source": "self_declared",
        "groups": ["migrant_worker"], "material_kind_0": "id_document", "material_kind_1": "means_proof",
    }
    data.update(overrides)
    return data


def _timeline(client, case):
    html = client.get(url("detail", case)).content.decode()
    return html[html.index('data-testid="timeline"'):]


@pytest.mark.usefixtures("lawyers")
def test_a_case_from_application_to_archive_through_the_screens(client, city):
    reviewer = as_user(client, city, "reviewer_a")
    data = _application(city, material_file_0=png("身份证.png"))
    response = reviewer.post(reverse("cases:new"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == url("detail", case)
    assert case.status == Status.RECEIVED and case.green_channel  # migrant worker claiming wages
    material = CaseFile.objects.get(case=case)
    assert material.kind == "id_document" and material.original_name == "身份证.png"

    page = reviewer.get(url("detail", case)).content.decode()
    assert case.number in page and "已受理申请" in page and "绿色通道" in page
    assert "受援条件审查" in page and "✓" in page and "法律援助法第四十二条第三项" in page
    assert url("decide", case) in page and url("assign", case) not in page  # only what the state allows

    assert reviewer.post(url("decide", case), {"kind": "grant"}).status_code == 302
    page = reviewer.get(url("detail", case)).content.decode()
    assert "轮派第一顺位" in page
    assert reviewer.post(url("assign", case), {"provider": str(Case.objects.get().center.providers.filter(
        specialties__code="labour").get().pk)}).status_code == 302
    lawyer = provider_user(case)

    sign_in(client, lawyer)
    assert client.post(url("accept", case)).status_code == 302
    today = timezone.localdate().isoformat()
    assert client.post(url("agreement", case), {"signed_on": today}).status_code == 302
    assert client.post(url("progress", case), {"kind": "hearing", "occurred_on": today, "court": "京口区人民法院",
                                               "summary": "出庭参加庭审。", "upload": png("庭审笔录.png")}
                       ).status_code == 302
    assert client.post(url("closing", case), {"outcome": "won", "report": "判决支持全部诉讼请求，已执行完毕。",
                                              "money_recovered": "12000", "money_saved": "3000"}).status_code == 302

    reviewer = as_user(client, city, "reviewer_a")
    assert reviewer.post(url("closing_review", case), {"verdict": "accept"}).status_code == 302
    response = reviewer.post(url("archive", case), follow=True)
    assert "已归档，保管期限至" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED

    timeline = _timeline(reviewer, case)
    for label in ("收到申请", "决定给予法律援助", "指派承办人员", "承办人员接受指派", "签订委托协议", "开始承办",
                  "办案进展：出庭", "法院/机关：京口区人民法院", "提交结案材料", "审查通过，结案", "归档"):
        assert label in timeline, label
    # newest first
    assert timeline.index("归档") < timeline.index("收到申请")
    assert "本案已办结，无需操作" in reviewer.get(url("detail", case)).content.decode()


def test_station_application_is_forwarded_and_appears_in_the_centers_queue(client, city):
    clerk = as_user(client, city, "clerk_a")
    response = clerk.post(reverse("cases:new"), _application(city, applicant=str(city.person_station_a.public_id),
                                                             channel="station"))
    case = Case.objects.get()
    assert response.status_code == 302 and case.status == Status.AT_STATION
    assert case.number in clerk.get(reverse("cases:queue")).content.decode()  # waiting for the clerk
    assert clerk.post(url("forward", case)).status_code == 302
    reviewer = as_user(client, city, "reviewer_a")
    assert case.number in reviewer.get(reverse("cases:queue")).content.decode()
    assert "转交中心" in _timeline(reviewer, case)


def test_household_of_zero_is_refused_with_the_reason_and_nothing_is_created(client, city):
    response = as_user(client, city, "reviewer_a").post(reverse("cases:new"), _application(
        city, household_size="0", material_file_0=png()))
    assert response.status_code == 422
    html = response.content.decode()
    with pytest.raises(ValidationFailed) as refused:  # the service's own words are the ones shown
        services.case_receive(actor=city.user("reviewer_a"), data=services.ApplicationInput(
            applicant_id=city.person_a.public_id, case_type="civil", matter="wages", matter_summary="追索劳动报酬",
            household_size=0))
    message = refused.value.errors["household_size"][0]
    assert "家庭人口" in message
    assert f'<div class="invalid-feedback d-block" id="id_household_size-error">{message}</div>' in html
    assert "浏览器不会保留已选择的文件" in html
    assert not Case.objects.exists() and not CaseFile.objects.exists()


def test_every_problem_of_an_application_is_listed_at_once(client, city):
    response = as_user(client, city, "reviewer_a").post(reverse("cases:new"), _application(
        city, matter="", matter_summary="", household_monthly_income="-5"))
    html = response.content.decode()
    assert response.status_code == 422
    for message in ("请选择申请事项。", "请填写案由", "家庭月收入应为不小于 0 的金额"):
        assert message in html
    assert 'aria-invalid="true"' in html


def test_a_file_that_is_not_pdf_or_image_rolls_the_whole_application_back(client, city):
    text = SimpleUploadedFile("合同.pdf", b"just some text, not a PDF", content_type="application/pdf")
    response = as_user(client, city, "reviewer_a").post(reverse("cases:new"), _application(
        city, material_file_0=png(), material_file_1=text))
    assert response.status_code == 422
    assert "合同.pdf：只接受 PDF、JPEG 或 PNG 格式的文件" in response.content.decode()
    assert not Case.objects.exists() and not CaseFile.objects.exists()


def test_an_applicant_outside_scope_is_refused_on_the_form(client, city):
    response = as_user(client, city, "clerk_a").post(reverse("cases:new"), _application(city))  # person_a: center
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_the_person_page_leads_to_a_prefilled_application(client, city):
    reviewer = as_user(client, city, "reviewer_a")
    person_page = reviewer.get(reverse("people:detail", args=[city.person_a.public_id])).content.decode()
    link = f"{reverse('cases:new')}?person={city.person_a.public_id}"
    assert link in person_page
    form = reviewer.get(link).content.decode()
    assert f'<option value="{city.person_a.public_id}" selected>' in form
    bureau_page = as_user(client, city, "bureau").get(
        reverse("people:detail", args=[city.person_a.public_id])).content.decode()
    assert reverse("cases:new") not in bureau_page


def test_the_applicant_search_lists_people_in_scope_only(client, city):
    reviewer = as_user(client, city, "reviewer_a")
    html = reviewer.post(reverse("cases:new"), {"person_search": "1", "q": "张"}).content.decode()
    assert "张三" in html and "王五" not in html and "李四" not in html
    # By phone tail, by POST only: person_a is 13800000001, person_station_a is another center's station's.
    html = reviewer.post(reverse("cases:new"), {"person_search": "1", "q": "0001"}).content.decode()
    assert "张三" in html and "申请未保存" not in html
    # The same tail in a URL is not a search: the page lists the latest people, unfiltered.
    assert "显示最近登记的人员" in reviewer.get(reverse("cases:new"), {"q": "0001"}).content.decode()
    html = as_user(client, city, "reviewer_b").get(reverse("cases:new")).content.decode()
    assert "王五" in html and "张三" not in html  # the other district's center lists its own people


@pytest.mark.parametrize("key", ["provider_a", "duty_a", "bureau", "sysadmin", "auditor", "organ_a"])
def test_only_intake_roles_may_receive(client, city, key):
    assert as_user(client, city, key).get(reverse("cases:new")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(reverse("cases:new"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_upload_is_served_only_inside_scope_and_audited(client, city):
    reviewer = as_user(client, city, "reviewer_a")
    reviewer.post(reverse("cases:new"), _application(city, material_file_0=png()))
    case, material = Case.objects.get(), CaseFile.objects.get()
    response = reviewer.get(reverse("cases:file", args=[case.public_id, material.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="material-id_document.png"'
    assert response["Cache-Control"] == "no-store"
    assert AuditEntry.objects.filter(action="export", object_type="cases.casefile",
                                     object_id=str(material.pk)).exists()
    other = as_user(client, city, "reviewer_b").get(reverse("cases:file", args=[case.public_id, material.public_id]))
    assert other.status_code == 404


def _stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_files_saved_before_a_refused_file_do_not_stay_on_disk(client, city, settings):
    # The first file is stored before the second is refused; the rollback must take the stored file with it.
    text = SimpleUploadedFile("合同.pdf", b"just some text, not a PDF", content_type="application/pdf")
    response = as_user(client, city, "reviewer_a").post(reverse("cases:new"), _application(
        city, material_file_0=png(), material_file_1=text))
    assert response.status_code == 422
    assert _stored_files(settings.MEDIA_ROOT) == []
