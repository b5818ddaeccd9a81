"""Full defense coverage (plan point 3), against the SHIPPED switch rows (migration criminal 0003): the ground is
accepted while the organ's district has the stage's switch on and refused, naming the switch, when it is off;
ordinary procedure opens a case for a legal aid lawyer, simplified or fast-track procedure goes to the duty station;
the courts' monthly coverage rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases.models import Case
from fayuan.conftest import make_user
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import RuleStamp
from fayuan.criminal import services
from fayuan.criminal.grounds import NoticeRoute, Procedure
from fayuan.criminal.models import CoverageStage, CoverageSwitch, Notice
from fayuan.criminal.tests.support import send_notice
from fayuan.org.models import District, Organ, OrganKind

TZ = timezone.get_current_timezone()
FULL = {"ground": "full_coverage", "name": "周某", "charge": "盗窃罪"}


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=TZ)


def test_every_district_of_the_city_ships_both_switches_as_local_defaults(db):
    districts = District.objects.count()
    assert districts == 7
    trial = CoverageSwitch.objects.filter(stage=CoverageStage.TRIAL)
    review = CoverageSwitch.objects.filter(stage=CoverageStage.PROSECUTION_REVIEW)
    assert trial.count() == review.count() == districts
    assert set(trial.values_list("effective_from", flat=True)) == {dt.date(2018, 1, 1)}
    assert set(review.values_list("effective_from", flat=True)) == {dt.date(2022, 1, 1)}
    for switch in CoverageSwitch.objects.all():
        assert switch.local_default and "依据待补" in switch.legal_basis and switch.effective_to is None
        assert switch.basis_label.startswith("本地做法：")


def test_an_ordinary_procedure_notice_opens_a_case_for_a_legal_aid_lawyer(city):
    notice = send_notice(city, **FULL, procedure=Procedure.ORDINARY)
    assert notice.route == NoticeRoute.LAWYER and notice.case is not None and notice.center == city.center_a
    shipped = CoverageSwitch.objects.get(district=city.district_a, stage=CoverageStage.TRIAL)
    assert notice.coverage_switch == shipped


@pytest.mark.parametrize("procedure", [Procedure.SIMPLIFIED, Procedure.FAST_TRACK])
def test_simplified_or_fast_track_goes_to_the_duty_station_without_a_case(client, city, procedure):
    city.organ_a.station = city.station_a  # the court's duty station
    city.organ_a.save()
    cases_before = Case.objects.count()
    notice = send_notice(city, **FULL, procedure=procedure)
    assert notice.route == NoticeRoute.DUTY and notice.case is None and Case.objects.count() == cases_before
    assert notice.duty_station == city.station_a and notice.center == city.center_a
    sign_in(client, city.user("reviewer_a"))
    page = client.get(reverse("criminal:duty_list")).content.decode()
    assert "待值班律师提供法律帮助" in page and reverse("criminal:duty_help", args=[notice.public_id]) in page
    assert client.get(reverse("criminal:notice", args=[notice.public_id])).status_code == 200
    duty_lawyer = city.user("duty_a").provider
    response = client.post(reverse("criminal:duty_help", args=[notice.public_id]), {
        "provider_id": duty_lawyer.pk, "helped_on": timezone.localdate().isoformat(), "note": "会见并提供程序选择建议"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.duty_lawyer == duty_lawyer and notice.duty_recorded_by == city.user("reviewer_a")
    with pytest.raises(Conflict):  # no lawyer was assigned: nothing to refuse
        services.notice_record_refusal(actor=city.user("reviewer_a"), public_id=notice.public_id,
                                       reason="理由正当需更换")
    # The liaison sees who helped.
    sign_in(client, city.user("organ_a"))
    assert duty_lawyer.name in client.get(reverse("criminal:notices")).content.decode()


def test_only_the_centers_own_providers_may_be_recorded_as_the_duty_lawyer(city):
    from fayuan.org.models import Provider, ProviderKind

    notice = send_notice(city, **FULL, procedure=Procedure.SIMPLIFIED)
    other = Provider.objects.create(name="外中心律师", kind=ProviderKind.LAWYER, license_number="13211800000000099",
                                    home_center=city.center_b)
    with pytest.raises(ValidationFailed) as exc:
        services.notice_record_duty_help(actor=city.user("reviewer_a"), public_id=notice.public_id,
                                         provider_id=other.pk, helped_on=timezone.localdate())
    assert "本中心在册" in exc.value.message
    notice.refresh_from_db()
    assert notice.duty_lawyer is None


def test_before_the_shipped_trial_switch_the_ground_is_refused_naming_the_switch(city):
    before = Notice.objects.count(), Case.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        send_notice(city, **FULL, received_at=_at(dt.date(2017, 6, 1)))
    assert "京口区“审判阶段刑事案件律师辩护全覆盖”开关在 2017-06-01 未开启" in exc.value.message
    assert exc.value.errors and "ground" in exc.value.errors
    assert (Notice.objects.count(), Case.objects.count()) == before


def test_a_switch_the_bureau_ends_refuses_from_its_end_and_bumps_the_rule_stamp(city):
    switch = CoverageSwitch.objects.get(district=city.district_a, stage=CoverageStage.TRIAL)
    stamp = RuleStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    switch.effective_to = timezone.localdate()
    switch.save()
    assert RuleStamp.objects.get(pk=1).token != stamp
    with pytest.raises(ValidationFailed, match="审判阶段刑事案件律师辩护全覆盖"):
        send_notice(city, **FULL)
    send_notice(city, ground="minor")  # a mandatory ground does not depend on the switch


def test_prosecution_review_has_its_own_switch_since_2022(city):
    procuratorate = Organ.objects.create(name="京口区人民检察院", kind=OrganKind.PROCURATORATE,
                                         district=city.district_a, center=city.center_a)
    liaison = make_user("procuratorate_a", "organ_liaison", organ=procuratorate)
    city.users["procuratorate_a"] = liaison
    with pytest.raises(ValidationFailed, match="审查起诉阶段刑事案件律师辩护全覆盖"):
        send_notice(city, "procuratorate_a", stage="prosecution_review", received_at=_at(dt.date(2021, 6, 1)), **FULL)
    ordinary = send_notice(city, "procuratorate_a", stage="prosecution_review", **FULL)
    assert ordinary.case is not None and ordinary.coverage_switch.stage == CoverageStage.PROSECUTION_REVIEW
    fast = send_notice(city, "procuratorate_a", stage="prosecution_review", procedure=Procedure.FAST_TRACK, **FULL)
    assert fast.route == NoticeRoute.DUTY


def test_full_coverage_does_not_reach_the_investigation_stage(city):
    police = Organ.objects.create(name="京口公安分局", kind=OrganKind.POLICE, district=city.district_a,
                                  center=city.center_a)
    city.users["police_a"] = make_user("police_a", "organ_liaison", organ=police)
    with pytest.raises(ValidationFailed, match="仅适用于"):
        send_notice(city, "police_a", stage="investigation", **FULL)


def test_the_old_simplified_flag_is_read_as_simplified_procedure(city):
    notice = send_notice(city, **FULL, simplified_procedure=True)
    assert notice.procedure == Procedure.SIMPLIFIED and notice.route == NoticeRoute.DUTY


def test_the_coverage_rate_of_a_court_month_with_the_records_behind_it(client, city):
    month = dt.date(2026, 10, 1)
    # Hand count: the court tried 10 defendants, 4 with their own counsel; it sent 3 defense notices that month
    # (2 ordinary, 1 simplified), 1 representation notice (not a defendant) and 1 defense notice the next month.
    for day, extra in ((5, {}), (12, {}), (20, {"procedure": Procedure.SIMPLIFIED})):
        send_notice(city, **FULL, **extra, received_at=_at(month.replace(day=day)),
                    organ_case_number=f"(2026)苏1102刑初{day}号")
    send_notice(city, kind="representation", ground="victim", received_at=_at(month.replace(day=8)))
    send_notice(city, **FULL, received_at=_at(dt.date(2026, 11, 2)))
    services.trial_return_save(actor=city.user("organ_a"), organ_id=city.organ_a.pk, month=month.replace(day=17),
                               defendants_tried=10, with_own_counsel=4)
    sign_in(client, city.user("reviewer_a"))
    page = client.get(reverse("criminal:coverage"), {"month": "2026-10"}).content.decode()
    assert "70.0%" in page  # (4 + 3) / 10
    behind = f"?organ={city.organ_a.pk}&amp;month=2026-10&amp;kind=defense\">3<"
    assert behind in page
    listed = client.get(reverse("criminal:notices"), {"organ": city.organ_a.pk, "month": "2026-10",
                                                     "kind": "defense"}).content.decode()
    assert listed.count("周某") == 3  # the three defense notices of October, not November's
    # The court of district B has no return: listed for the bureau without a rate.
    sign_in(client, city.user("bureau"))
    bureau_page = client.get(reverse("criminal:coverage"), {"month": "2026-10"}).content.decode()
    assert "丹阳市人民法院" in bureau_page and "未填报" in bureau_page and "70.0%" in bureau_page


def test_a_return_is_entered_only_for_ones_own_court_and_corrected_by_entering_again(city):
    with pytest.raises(ValidationFailed):
        services.trial_return_save(actor=city.user("reviewer_a"), organ_id=city.organ_b.pk,
                                   month=dt.date(2026, 10, 1), defendants_tried=5, with_own_counsel=1)
    with pytest.raises(ValidationFailed, match="不能超过"):
        services.trial_return_save(actor=city.user("organ_a"), organ_id=city.organ_a.pk,
                                   month=dt.date(2026, 10, 1), defendants_tried=2, with_own_counsel=3)
    services.trial_return_save(actor=city.user("reviewer_a"), organ_id=city.organ_a.pk, month=dt.date(2026, 10, 1),
                               defendants_tried=5, with_own_counsel=1)
    row = services.trial_return_save(actor=city.user("organ_a"), organ_id=city.organ_a.pk,
                                     month=dt.date(2026, 10, 9), defendants_tried=6, with_own_counsel=2)
    assert (row.month, row.defendants_tried, row.entered_by) == (dt.date(2026, 10, 1), 6, city.user("organ_a"))


def test_a_fast_track_full_coverage_notice_through_the_api_answers_with_the_duty_route(city):
    import json

    from django.test import Client

    from fayuan.api.tokens import api_token_issue

    token = api_token_issue(actor=None, user=city.user("organ_a"), name="法院系统对接")[1]
    api, headers = Client(), {"Authorization": f"Bearer {token}"}
    body = {"kind": "defense", "name": "吴某", "stage": "trial", "ground": "full_coverage", "charge": "危险驾驶罪",
            "procedure": "fast_track"}
    response = api.post("/api/v1/notices", json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    sent = response.json()
    # No rota published for district A: nobody on duty for its day, the center must arrange (duty app's answer).
    assert (sent["route"], sent["case_number"], sent["status"]) == ("duty", "", "duty_unstaffed")
    bad = api.post("/api/v1/notices", json.dumps({**body, "procedure": "summary"}), content_type="application/json",
                   headers=headers)
    assert bad.status_code == 422 and "审理程序" in bad.content.decode()


def test_the_system_administrator_edits_the_switches_in_the_admin(client, city):
    sign_in(client, city.user("sysadmin"))
    page = client.get(reverse("admin:criminal_coverageswitch_changelist"))
    assert page.status_code == 200 and "京口区" in page.content.decode()
    switch = CoverageSwitch.objects.get(district=city.district_a, stage=CoverageStage.TRIAL)
    assert client.get(reverse("admin:criminal_coverageswitch_change", args=[switch.pk])).status_code == 200


def test_the_liaisons_form_sends_a_simplified_full_coverage_notice_to_the_duty_station(client, city):
    sign_in(client, city.user("organ_a"))
    response = client.post(reverse("criminal:notice_new"), {
        "kind": "defense", "name": "郑某", "stage": "trial", "ground": "full_coverage", "charge": "危险驾驶罪",
        "procedure": "simplified"}, follow=True)
    assert response.status_code == 200 and "由值班律师提供法律帮助（简易程序）" in response.content.decode()
    notice = Notice.objects.get(person__name="郑某")
    assert notice.case is None and notice.route == NoticeRoute.DUTY
    sign_in(client, city.user("reviewer_a"))
    assert client.get(reverse("criminal:refusal", args=[notice.public_id])).status_code == 404
