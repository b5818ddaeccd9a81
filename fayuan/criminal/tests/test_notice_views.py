import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases.services.assignment import case_assign
from fayuan.conftest import make_user
from fayuan.criminal.models import Notice

from .support import send_notice

pytestmark = pytest.mark.django_db


def test_the_liaison_home_leads_to_the_organs_notices(client, city):
    sign_in(client, city.user("organ_a"))
    assert reverse("criminal:notices") in client.get(reverse("accounts:home")).content.decode()


def test_the_liaison_sends_a_notice_from_the_form_and_lands_on_its_page(client, city):
    sign_in(client, city.user("organ_a"))
    response = client.post(reverse("criminal:notice_new"), {
        "kind": "defense", "name": "钱某", "stage": "trial", "ground": "blind_deaf_mute", "charge": "盗窃罪",
        "custody_place_text": "京口区看守所", "organ_case_number": "(2026)苏1102刑初7号"})
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("criminal:notice", args=[notice.public_id])
    page = client.get(response["Location"]).content.decode()
    assert notice.case.number in page and "身份待核实" in page and "待指派" in page
    assert "法律援助法第二十五条第一款第二项" in page


def test_a_bad_form_is_422_with_the_message_and_sends_nothing(client, city):
    sign_in(client, city.user("organ_a"))
    response = client.post(reverse("criminal:notice_new"), {
        "kind": "defense", "name": "钱某", "stage": "investigation", "ground": "minor", "charge": "盗窃罪"})
    assert response.status_code == 422 and "investigation" in response.context["form"].errors["stage"][0]
    assert not Notice.objects.exists()


def test_the_form_offers_each_organ_only_the_stages_it_notifies_in(client, city):
    from fayuan.org.models import Organ, OrganKind
    police = Organ.objects.create(name="京口分局", kind=OrganKind.POLICE, district=city.organ_a.district,
                                  center=city.organ_a.center)
    sign_in(client, make_user("police_a", "organ_liaison", organ=police))
    form = client.get(reverse("criminal:notice_new")).context["form"]
    assert [value for value, _ in form.fields["stage"].choices] == ["investigation"]
    assert "trial_date" not in form.fields and "procedure" not in form.fields
    sign_in(client, city.user("organ_a"))
    form = client.get(reverse("criminal:notice_new")).context["form"]
    assert "investigation" not in [value for value, _ in form.fields["stage"].choices]
    assert "trial" in [value for value, _ in form.fields["stage"].choices] and "trial_date" in form.fields


def test_the_liaison_home_shows_only_what_the_organ_does(client, city):
    from fayuan.org.models import Organ, OrganKind
    detention = Organ.objects.create(name="京口区看守所", kind=OrganKind.DETENTION_CENTER,
                                     district=city.organ_a.district, center=city.organ_a.center)
    sign_in(client, make_user("jail_a", "organ_liaison", organ=detention))
    html = client.get(reverse("accounts:home")).content.decode()
    assert reverse("custody:forwardings") in html
    assert reverse("criminal:notices") not in html and reverse("custody:notifications") not in html
    sign_in(client, city.user("organ_a"))  # a court: notices and its trial returns, no rights notification
    html = client.get(reverse("accounts:home")).content.decode()
    assert reverse("criminal:notices") in html and reverse("criminal:coverage") in html
    assert reverse("custody:notifications") not in html


def test_the_list_shows_status_and_the_assigned_lawyer_to_the_organ_only(client, city):
    notice = send_notice(city, ground="blind_deaf_mute")
    lawyer = case_assign(actor=city.user("reviewer_a"), public_id=notice.case.public_id).provider
    sign_in(client, city.user("organ_a"))
    html = client.get(reverse("criminal:notices")).content.decode()
    assert notice.case.number in html and lawyer.name in html
    assert "已指派" in html and "决定给予援助" not in html
    other = make_user("court_b", "organ_liaison", organ=city.organ_b)
    sign_in(client, other)
    assert notice.case.number not in client.get(reverse("criminal:notices")).content.decode()
    assert client.get(reverse("criminal:notice", args=[notice.public_id])).status_code == 404


def test_the_grounds_page_shows_each_basis_and_the_pending_ones(client, city):
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("criminal:grounds")).content.decode()
    assert "法律援助法第二十八条" in html and "依据待补" in html and "最高人民法院刑诉法解释第四十八条" in html


def test_the_report_counts_by_organ_and_stage_and_each_figure_links_to_its_notices(client, city,
                                                                                     django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    late = send_notice(city, ground="blind_deaf_mute", trial_date=timezone.localdate() + dt.timedelta(days=3))
    send_notice(city, stage="second_instance", ground="blind_deaf_mute")
    case_assign(actor=city.user("reviewer_a"), public_id=late.case.public_id)
    sign_in(client, city.user("reviewer_a"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("criminal:report")).content.decode()
    organ = city.organ_a.pk
    assert f"?organ={organ}&amp;stage=trial\">1<" in html and f"?organ={organ}&amp;stage=second_instance\">1<" in html
    assert f"?organ={organ}&amp;late=1\">1<" in html
    listed = client.get(reverse("criminal:notices"), {"organ": organ, "late": "1"}).content.decode()
    assert late.case.number in listed and listed.count("开庭前不足十五日</span>") == 1
    sign_in(client, city.user("reviewer_b"))
    assert "暂无通知" in client.get(reverse("criminal:report")).content.decode()


@pytest.mark.parametrize("ground", ["full_coverage", "court_discretion", "compulsory_medical", "victim", "minor"])
def test_the_case_page_of_a_notice_opens_for_the_center_on_every_ground(client, city, ground):
    stage = "compulsory_medical" if ground == "compulsory_medical" else "trial"
    kind = "representation" if ground == "victim" else "defense"
    notice = send_notice(city, ground=ground, stage=stage, kind=kind)
    sign_in(client, city.user("reviewer_a"))
    response = client.get(reverse("cases:detail", args=[notice.case.public_id]))
    assert response.status_code == 200 and "京口区人民法院" in response.content.decode()
    assert client.get(reverse("criminal:notice", args=[notice.public_id])).status_code == 200


def test_the_center_completes_an_unverified_identity_on_the_person_record(client, city):
    from fayuan.conftest import valid_id
    from fayuan.people.services import person_update

    notice = send_notice(city, name="无名氏")
    person_update(actor=city.user("reviewer_a"), public_id=notice.person.public_id,
                  changes={"id_number": valid_id(41)})
    sign_in(client, city.user("organ_a"))
    assert "身份待核实" not in client.get(reverse("criminal:notice", args=[notice.public_id])).content.decode()


def test_the_reviewers_home_leads_to_the_centers_notices(client, city):
    sign_in(client, city.user("reviewer_a"))
    assert reverse("criminal:notices") in client.get(reverse("accounts:home")).content.decode()


def test_the_notice_list_takes_the_same_queries_for_one_notice_or_many(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, city.user("organ_a"))
    send_notice(city, ground="blind_deaf_mute")
    client.get(reverse("criminal:notices"))  # the session's first page warms what every page reads once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("criminal:notices"))
    for n in range(4):
        send_notice(city, ground="blind_deaf_mute", organ_case_number=f"(2026)苏1102刑初{40 + n}号")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("criminal:notices")).content.decode().count("待指派") == 5
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_notice_page_shows_the_center_the_assignment_deadline_and_the_way_to_assign(client, city):
    notice = send_notice(city, ground="blind_deaf_mute")
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("criminal:notice", args=[notice.public_id])).content.decode()
    assert "指派期限" in html and "法律援助法第三十六条" in html
    assert reverse("cases:detail", args=[notice.case.public_id]) + "#panel-assign" in html
    case_assign(actor=city.user("reviewer_a"), public_id=notice.case.public_id)
    html = client.get(reverse("criminal:notice", args=[notice.public_id])).content.decode()
    assert "指派期限" not in html and "#panel-assign" not in html
