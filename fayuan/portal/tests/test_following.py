"""Following a case: the timeline in plain words, objections online, another lawyer, ratings, messages and SMS,
and scope: a person who is not the applicant or agent gets 404 on every case page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.cases import services as cases
from fayuan.cases.models import CaseEvent, Objection, ProviderChangeRequest, Status
from fayuan.cases.selectors import cases_visible_to
from fayuan.cases.tests.conftest import granted, receive
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction, AuditEntry
from fayuan.notifications.models import Notification
from fayuan.notifications.services import contact_preference_set
from fayuan.notifications.sms import LoggingSMSBackend
from fayuan.notifications.sms_templates import TEMPLATES, case_step_template, render
from fayuan.portal import services
from fayuan.portal.models import Rating
from fayuan.portal.selectors import case_timeline, stages_reached
from fayuan.portal.services.following import APPLICANT_MESSAGES, CHOICE_TEXT

from .helpers import URLS, fill_application

pytestmark = pytest.mark.urls(URLS)


def _mine(city, **overrides):
    """A counter application by the persona applicant (whose person record staff linked to the account)."""
    return receive(city, applicant_id=city.applicant_person.public_id, **overrides)


def _client(user: User) -> Client:
    c = Client()
    sign_in(c, user)
    return c


def _lawyer_account(provider) -> User:
    user = User.objects.filter(provider=provider).first()
    return user or User.objects.create_user(username=f"lawyer{provider.pk}", password="x" * 12, role="provider",
                                            provider=provider)


def _assigned(city, providers):
    case = granted(city, applicant_id=city.applicant_person.public_id)
    cases.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id)
    case.refresh_from_db()
    return case


def _in_progress(city, providers):
    case = _assigned(city, providers)
    lawyer = _lawyer_account(case.provider)
    cases.assignment_accept(actor=lawyer, public_id=case.public_id)
    cases.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    case.refresh_from_db()
    return case, lawyer


def test_timeline_tells_the_story_in_plain_words(city, providers):
    case = _mine(city)
    cases.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id,
                             items=["工资欠条复印件", "劳动合同"])
    entries = case_timeline(case)
    assert [e.title for e in entries][:2] == ["需要您补充材料", "我们收到了您的申请"]
    assert "· 工资欠条复印件" in entries[0].details and any("视为撤回" in d for d in entries[0].details)
    cases.supplement_receive(actor=city.user("reviewer_a"), public_id=case.public_id)
    cases.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse",
                      reasons="家庭人均收入高于当地最低工资标准")
    page = _client(city.user("applicant")).get(f"/my/cases/{case.public_id}/").content.decode()
    assert "决定不给予法律援助" in page and "理由：家庭人均收入高于当地最低工资标准" in page
    assert "第四十九条" in page and 'data-testid="object-link"' in page


def test_assigned_lawyer_contact_and_hearings_are_shown(city, providers):
    case, lawyer = _in_progress(city, providers)
    provider = case.provider
    provider.phone = "13911112222"
    provider.save()
    hearing = timezone.now() + dt.timedelta(days=10)
    cases.progress_record(actor=lawyer, public_id=case.public_id, kind="hearing", occurred_on=timezone.localdate(),
                          summary="收到开庭传票", court="京口区人民法院", hearing_at=hearing)
    page = _client(city.user("applicant")).get(f"/my/cases/{case.public_id}/").content.decode()
    assert provider.name in page and "13911112222" in page
    assert "开庭安排" in page and "京口区人民法院" in page
    assert "为您指派了承办律师" in page and "您与律师签订了委托协议" in page
    assert "收到开庭传票" not in page  # the lawyer's own notes are not shown


def test_objection_online(city, providers):
    case = _mine(city)
    cases.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse",
                      reasons="不属于法律援助事项范围")
    c = _client(city.user("applicant"))
    r = c.post(f"/my/cases/{case.public_id}/object/", {"grounds": "我的情况属于追索劳动报酬，应当给予援助。"})
    assert r.status_code == 302
    case.refresh_from_db()
    objection = Objection.objects.get(case=case)
    assert case.status == Status.OBJECTION and objection.filed_by == city.user("applicant")
    assert "您提出了异议" in c.get(f"/my/cases/{case.public_id}/").content.decode()
    r = c.post(f"/my/cases/{case.public_id}/object/", {"grounds": "再提一次"})
    assert "现在不能提出异议" in r.content.decode() and Objection.objects.filter(case=case).count() == 1
    with pytest.raises(Conflict, match="不予法律援助或终止法律援助"):
        services.objection_submit(account=city.user("applicant"), public_id=case.public_id, grounds="再提一次异议")


def test_objection_online_on_a_case_submitted_online(city, phone_client, django_capture_on_commit_callbacks):
    c, user = phone_client()
    fill_application(c, where={"organ_station": str(city.station_a.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/apply/confirm/", {"action": "submit"})
    case = user.portal_submissions.get().case
    cases.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse", reasons="测试理由")
    assert cases_visible_to(user).filter(pk=case.pk).exists()  # an online applicant follows what they submitted
    services.objection_submit(account=user, public_id=case.public_id, grounds="不同意，理由如下。")
    case.refresh_from_db()
    assert case.status == Status.OBJECTION


def test_asking_for_another_lawyer(city, providers):
    case = _assigned(city, providers)
    c = _client(city.user("applicant"))
    r = c.post(f"/my/cases/{case.public_id}/change-lawyer/", {"reason": "一周联系不上律师"})
    assert r.status_code == 302
    request = ProviderChangeRequest.objects.get(case=case)
    assert request.provider == case.provider and request.handled_at is None
    assert CaseEvent.objects.filter(case=case, kind="provider_change_requested").exists()
    assert Notification.objects.filter(user=city.user("reviewer_a"), title="受援人申请更换律师").exists()
    with pytest.raises(Conflict, match="正在处理"):
        services.provider_change_request(account=city.user("applicant"), public_id=case.public_id, reason="再次申请")
    with transaction.atomic():  # the change closes the request in its own transaction, audited
        cases.case_change_provider(actor=city.user("reviewer_a"), public_id=case.public_id, reason="受援人联系不上律师")
        request.refresh_from_db()
        assert request.handled_at is not None
    assert AuditEntry.objects.filter(object_type="cases.providerchangerequest", object_id=str(request.pk),
                                     action=AuditAction.UPDATE).exists()


def test_ratings_only_for_stages_reached_once_each(city, providers):
    applicant = city.user("applicant")
    case = _mine(city)
    assert stages_reached(case) == ["consultation"]
    with pytest.raises(Conflict, match="还没有完成"):
        services.rating_submit(account=applicant, public_id=case.public_id, stage="handling", score=5)
    with pytest.raises(ValidationFailed):
        services.rating_submit(account=applicant, public_id=case.public_id, stage="consultation", score=6)
    services.rating_submit(account=applicant, public_id=case.public_id, stage="consultation", score=4,
                           comment="窗口工作人员很耐心")
    with pytest.raises(Conflict, match="已经评价过"):
        services.rating_submit(account=applicant, public_id=case.public_id, stage="consultation", score=5)
    # Handling ratings belong to the lawyer and feed their profile.
    case2, _ = _in_progress(city, providers)
    assert stages_reached(case2) == ["consultation", "acceptance", "handling"]
    c = _client(applicant)
    page = c.get(f"/my/cases/{case2.public_id}/").content.decode()
    assert 'data-testid="rate-handling"' in page and 'data-testid="rate-closing"' not in page
    c.post(f"/my/cases/{case2.public_id}/rate/", {"stage": "handling", "score": "2", "comment": "回复慢"})
    rating = Rating.objects.get(case=case2, stage="handling")
    assert rating.provider == case2.provider and rating.score == 2
    assert Notification.objects.filter(user=city.user("reviewer_a"), title="受援人评价较低").exists()
    from fayuan.portal.selectors import provider_profiles

    profile = provider_profiles([case2.provider])[0]
    assert (profile.rating_count, str(profile.rating_avg)) == (1, "2.0")


def test_each_step_is_told_by_sms_and_in_the_inbox(city, providers, django_capture_on_commit_callbacks):
    applicant = city.user("applicant")
    contact_preference_set(actor=applicant, user=applicant, phone="13900009999")
    case = granted(city, applicant_id=city.applicant_person.public_id)
    with django_capture_on_commit_callbacks(execute=True):  # the texts are queued, then sent after commit
        services.notify_applicant(case.pk, "grant")
    note = Notification.objects.get(user=applicant)
    assert note.link == f"/my/cases/{case.public_id}/" and case.number in note.body
    assert "选择律师" in note.body  # the choice window is open
    sms = [m for m in LoggingSMSBackend.outbox if m.phone == "13900009999"]
    assert len(sms) == 1 and sms[0].text.startswith("【镇江法援】") and "赵六" not in sms[0].text
    # The approved template with the choice's date, and the same words as the notice.
    assert sms[0].template == "case_grant_choose" and set(sms[0].params or {}) == {"number", "due"}
    assert sms[0].text == "【镇江法援】" + note.body
    services.notify_applicant(case.pk, "some_internal_action")
    assert Notification.objects.filter(user=applicant).count() == 1
    page = _client(applicant).get("/my/messages/").content.decode()
    assert "决定给予法律援助" in page
    assert Notification.objects.get(user=applicant).read_at is not None


def test_center_messages_reach_the_applicant(city, providers, django_capture_on_commit_callbacks):
    applicant = city.user("applicant")
    contact_preference_set(actor=applicant, user=applicant, phone="13900009998")
    case = _mine(city)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.applicant_message_send(actor=city.user("reviewer_a"), public_id=case.public_id,
                                               title="请带原件", body="请于周三上午带身份证原件到中心窗口核对。")
    assert sent == 1
    page = _client(applicant).get(f"/my/cases/{case.public_id}/").content.decode()
    assert "请带原件" in page and "身份证原件" in page
    assert any("新消息" in m.text for m in LoggingSMSBackend.outbox)
    with pytest.raises(Exception, match="只有法律援助中心"):
        services.applicant_message_send(actor=applicant, public_id=case.public_id, title="x", body="y")


def test_someone_else_gets_404_on_every_case_page(city, providers, phone_client):
    case = _assigned(city, providers)
    other, _ = phone_client("13900000077")
    base = f"/my/cases/{case.public_id}/"
    for url in ("", "receipt/", "choose/", "object/", "change-lawyer/"):
        assert other.get(base + url).status_code == 404, url
    for url, data in (("choose/", {"provider": "1"}), ("object/", {"grounds": "不同意不同意"}),
                      ("change-lawyer/", {"reason": "换个律师吧"}), ("rate/", {"stage": "consultation", "score": 5})):
        assert other.post(base + url, data).status_code == 404, url
    assert not ProviderChangeRequest.objects.exists() and not Rating.objects.exists()
    # Staff use the office, not the applicant pages; anonymous visitors are asked to sign in.
    assert _client(city.user("reviewer_a")).get(base).status_code == 404
    assert Client().get(base)["Location"].startswith("/signin/")
    assert other.get("/my/cases/not-a-uuid/").status_code == 404
    assert case.number not in other.get("/my/").content.decode()


@pytest.mark.parametrize("action", sorted(APPLICANT_MESSAGES))
def test_the_sms_templates_say_what_the_notices_say(action):
    """The provider sends only the registered templates (notifications.sms_templates): their words must stay the
    notices' words, with and without the choice of a lawyer."""
    text = APPLICANT_MESSAGES[action][1]
    choose = "{choice}" in text
    rendered, _ = render(case_step_template(action, choose=False), {"number": "镇法援〔2026〕12号"})
    assert rendered == "【镇江法援】" + text.format(number="镇法援〔2026〕12号", choice="")
    assert (case_step_template(action, choose=True) in TEMPLATES) == choose
    if choose:
        rendered, _ = render(case_step_template(action, choose=True), {"number": "1", "due": "12月05日"})
        assert rendered == "【镇江法援】" + text.format(number="1", choice=CHOICE_TEXT.format(due="12月05日"))
