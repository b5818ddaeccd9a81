"""The online application: drafts that save and resume, consents, photos, and a submission that lands exactly
one person and one case in the right center's queue, like staff intake does."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fayuan.accounts.testing import sign_in
from fayuan.cases.documents import render_html
from fayuan.cases.models import Case, CaseEvent, CaseFile, Channel, Status
from fayuan.cases.services import files as case_files
from fayuan.conftest import valid_id
from fayuan.core.errors import ValidationFailed
from fayuan.deadlines.models import Deadline
from fayuan.notifications.models import Notification
from fayuan.notifications.sms import LoggingSMSBackend
from fayuan.people.models import Person
from fayuan.portal import services
from fayuan.portal.consent import SENSITIVE_RELATIVE, SENSITIVE_SELF
from fayuan.portal.models import ApplicationDraft, Consent, DraftFile, PortalSubmission

from .helpers import JPEG, URLS, fill_application, matter_data, who_data

pytestmark = pytest.mark.urls(URLS)
MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def _submit(c: Client, capture) -> Case:
    with capture(execute=True):
        r = c.post("/apply/confirm/", {"action": "submit"})
    assert r.status_code == 302, r.content.decode()[:3000]
    return Case.objects.get(public_id=r["Location"].split("/")[3])


def test_steps_need_the_consent_first(city, phone_client):
    c, _ = phone_client()
    c.post("/apply/")
    assert c.get("/apply/who/")["Location"] == "/apply/consent/"
    page = c.get("/apply/consent/").content.decode()
    assert SENSITIVE_SELF.text in page
    r = c.post("/apply/consent/", {"action": "next"})
    assert r.status_code == 200 and "无法在网上申请" in r.content.decode()
    assert not Consent.objects.exists()
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    consent = Consent.objects.get()
    assert consent.text == SENSITIVE_SELF.text and consent.text_version == SENSITIVE_SELF.version
    assert consent.agreed_at is not None and consent.ip == "127.0.0.1"


def test_a_draft_saves_as_it_goes_and_resumes_later(city, phone_client):
    c, user = phone_client()
    c.post("/apply/")
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    # Half a step, saved without checking: nothing typed is lost.
    r = c.post("/apply/who/", {"on_behalf": "self", "self_name": "钱七", "self_id_number": "3211", "action": "save"})
    assert r.status_code == 302
    draft = ApplicationDraft.objects.get(account=user)
    assert "钱七" not in draft.payload and "3211" not in draft.payload  # encrypted at rest
    assert services.draft_data(draft)["self_name"] == "钱七"
    # Another day, another phone session.
    later = Client()
    sign_in(later, user)
    start = later.get("/apply/").content.decode()
    assert "继续填写" in start and "/apply/who/" in start
    page = later.get("/apply/who/").content.decode()
    assert 'value="钱七"' in page
    # "Next" checks the step; a bad ID number keeps the applicant on it and says why.
    r = later.post("/apply/who/", {**who_data(id_number="321102198005170011"), "action": "next"})
    assert r.status_code == 200 and "校验码" in r.content.decode()
    r = later.post("/apply/who/", {**who_data(), "action": "next"})
    assert r["Location"] == "/apply/matter/"
    draft.refresh_from_db()
    assert draft.step == "matter"


def test_submission_creates_one_person_and_one_case_at_the_routed_center(city, phone_client,
                                                                         django_capture_on_commit_callbacks):
    c, user = phone_client("13900000002")
    people, cases = Person.objects.count(), Case.objects.count()
    with time_machine.travel(MORNING, tick=False):
        # A lawsuit at 丹阳市's court: art. 38 sends it to 丹阳市's center, not to the first district.
        fill_application(c, where={"organ_station": str(city.station_b.pk), "district": ""})
        confirm = c.get("/apply/confirm/").content.decode()
        assert "丹阳市法律援助中心" in confirm and "3211********" in confirm
        case = _submit(c, django_capture_on_commit_callbacks)
    assert (Person.objects.count(), Case.objects.count()) == (people + 1, cases + 1)
    assert case.center == city.center_b and case.channel == Channel.ONLINE and case.status == Status.RECEIVED
    assert case.received_by is None and case.receiving_station is None
    assert case.number == "丹法援受〔2026〕第1号"
    assert case.handling_organ == "丹阳市人民法院"
    person = case.applicant
    assert person.name == "钱七" and person.id_number_masked.startswith("3211") and person.account is None
    assert person.intake_center == city.center_b and person.birth_date == dt.date(1980, 5, 17)
    assert person.phone == "13900000002"  # the number the SMS code proved
    # The same 7-day decision clock as staff intake (art. 43).
    deadline = Deadline.objects.get(subject_id=case.pk, rule__start_event="application_received")
    assert deadline.due_on == dt.date(2026, 3, 9)
    assert CaseEvent.objects.get(case=case, kind="received").payload["channel"] == "online"
    # Draft photos became case files; the draft copies are gone.
    assert CaseFile.objects.filter(case=case, kind="id_document").count() == 1
    assert not DraftFile.objects.exists()
    # The same papers as at the counter, rendered from the stored data.
    assert sorted(case.documents.values_list("kind", flat=True)) == ["application_form", "receipt"]
    html = render_html(case.documents.get(kind="receipt"))
    assert case.number in html and "身份证明" in html  # the photo uploaded online is on the receipt
    submission = PortalSubmission.objects.get(case=case)
    assert submission.account == user and not submission.matched_existing_applicant
    assert "第三十八条" in submission.routing["basis"]
    # The center is told, and the applicant gets an SMS receipt after commit.
    assert Notification.objects.filter(user=city.user("reviewer_b"), title="新的网上法律援助申请").exists()
    assert not Notification.objects.filter(user=city.user("reviewer_a"), title="新的网上法律援助申请").exists()
    assert any(case.number in m.text for m in LoggingSMSBackend.outbox if m.phone == "13900000002")
    # Consent kept with the case, with its text and time.
    consent = Consent.objects.get(case=case)
    assert consent.text == SENSITIVE_SELF.text and consent.agreed_at is not None
    # The typed ID number is dropped from the draft once the person holds it.
    assert "self_id_number" not in services.draft_data(ApplicationDraft.objects.get(account=user))
    receipt = c.get(f"/my/cases/{case.public_id}/receipt/").content.decode()
    assert case.number in receipt and f"/my/cases/{case.public_id}/" in receipt
    # The applicant follows the case they submitted.
    assert c.get(f"/my/cases/{case.public_id}/").status_code == 200
    assert case.number in c.get("/my/").content.decode()


def test_a_known_id_number_is_linked_without_revealing_anything(city, phone_client,
                                                               django_capture_on_commit_callbacks):
    """张三 is registered already; someone types his number with another name. The case goes to his record, the
    record is not changed, and nothing about it shows on any page the submitter sees."""
    existing = city.person_a
    c, _user = phone_client("13900000003")
    people = Person.objects.count()
    fill_application(c, who=who_data(name="张小三", id_number=valid_id(11)),
                     where={"organ_station": str(city.station_a.pk)})
    confirm = c.get("/apply/confirm/").content.decode()
    case = _submit(c, django_capture_on_commit_callbacks)
    assert Person.objects.count() == people and case.applicant == existing
    existing.refresh_from_db()
    assert existing.name == "张三" and existing.account is None and existing.phone == "13800000001"
    assert PortalSubmission.objects.get(case=case).matched_existing_applicant
    pages = [confirm, c.get(f"/my/cases/{case.public_id}/receipt/").content.decode(),
             c.get(f"/my/cases/{case.public_id}/").content.decode(), c.get("/my/").content.decode()]
    for page in pages:
        assert "张三" not in page and "13800000001" not in page and "已登记" not in page
    # The submitter does not see the person's other cases.
    assert list(c.get("/my/").context["cases"]) == [case]


def test_an_application_for_a_relative(city, phone_client, django_capture_on_commit_callbacks):
    c, _user = phone_client("13900000004")
    who = who_data(name="孙八", id_number=valid_id(41), on_behalf="relative", relationship="close_relative",
                   relative_name="孙老九", relative_id_number=valid_id(43, birth=dt.date(1940, 2, 3)),
                   relative_consent="on")
    fill_application(c, who=who, matter=matter_data(matter="support_elderly", matter_summary="追索赡养费"),
                     where={"district": city.district_a.code})
    page = c.get("/apply/confirm/").content.decode()
    assert "孙老九" in page and "近亲属" in page
    case = _submit(c, django_capture_on_commit_callbacks)
    assert case.applicant.name == "孙老九" and case.agent.name == "孙八"
    assert case.agent_relationship == "close_relative" and case.center == city.center_a
    # The elderly applicant (86 on the day) is in the green channel, as the rules say.
    assert case.green_channel
    subjects = sorted(Consent.objects.filter(case=case).values_list("subject", flat=True))
    assert subjects == ["relative", "self"]
    assert Consent.objects.get(case=case, subject="relative").text == SENSITIVE_RELATIVE.text


def test_relative_step_needs_relationship_and_consent(city, phone_client):
    c, _ = phone_client()
    c.post("/apply/")
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    r = c.post("/apply/who/", {**who_data(on_behalf="relative"), "action": "next"})
    text = r.content.decode()
    assert r.status_code == 200 and "请选择您与申请人的关系" in text and "请确认您是其法定代理人" in text


def test_non_litigation_goes_where_the_matter_arose(city, phone_client, django_capture_on_commit_callbacks):
    c, _ = phone_client()
    fill_application(c, matter=matter_data(case_type="non_litigation"),
                     where={"district": city.district_b.code, "area_reason": "arose"})
    case = _submit(c, django_capture_on_commit_callbacks)
    assert case.center == city.center_b
    assert "事由发生地" in PortalSubmission.objects.get(case=case).routing["explanation"]


def test_the_where_step_explains_the_rule_and_needs_a_place(city, phone_client):
    c, _ = phone_client()
    c.post("/apply/")
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    c.post("/apply/who/", {**who_data(), "action": "next"})
    c.post("/apply/matter/", {**matter_data(case_type="non_litigation"), "action": "next"})
    page = c.get("/apply/where/").content.decode()
    assert "第三十八条" in page and "事由发生地" in page
    r = c.post("/apply/where/", {"district": city.district_b.code, "action": "next"})
    assert r.status_code == 200 and "争议处理机关所在地，还是事由发生地" in r.content.decode()


def test_uploads_are_checked_by_type_and_size(city, phone_client, monkeypatch):
    c, _user = phone_client()
    c.post("/apply/")
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    r = c.post("/apply/files/", {"action": "upload", "kind": "id_document",
                                 "files": SimpleUploadedFile("id.jpg", b"MZ not an image", content_type="image/jpeg")})
    assert r.status_code == 200 and "只接受 PDF、JPEG 或 PNG" in r.content.decode()
    monkeypatch.setattr(case_files, "MAX_BYTES", 100)  # the one upload check all paths share
    r = c.post("/apply/files/", {"action": "upload", "kind": "id_document",
                                 "files": SimpleUploadedFile("big.jpg", JPEG, content_type="image/jpeg")})
    assert r.status_code == 200 and "文件过大" in r.content.decode()
    assert not DraftFile.objects.exists()
    monkeypatch.setattr(case_files, "MAX_BYTES", 10 * 1024 * 1024)
    r = c.post("/apply/files/", {"action": "upload", "kind": "id_document",
                                 "files": SimpleUploadedFile("身份证 张三.jpg", JPEG, content_type="image/jpeg")})
    stored = DraftFile.objects.get()
    assert stored.content_type == "image/jpeg" and "张三" not in stored.file.name
    c.post("/apply/files/", {"action": "remove", "file": str(stored.public_id)})
    assert not DraftFile.objects.exists()


def test_submission_needs_an_id_photo_and_complete_steps(city, phone_client):
    c, user = phone_client()
    fill_application(c, where={"organ_station": str(city.station_a.pk)}, uploads=())
    r = c.post("/apply/confirm/", {"action": "submit"})
    assert r.status_code == 200 and "身份证件照片" in r.content.decode()
    draft = ApplicationDraft.objects.get(account=user)
    services.draft_save(account=user, draft_id=draft.public_id, step="means", data={"household_size": "0"})
    page = c.get("/apply/confirm/").content.decode()
    assert "经济状况" in page and 'data-testid="draft-problems"' in page
    with pytest.raises(ValidationFailed):
        services.application_submit(account=user, draft_id=draft.public_id)
    assert not Case.objects.exists()


def test_a_submitted_draft_cannot_be_changed_or_submitted_twice(city, phone_client,
                                                               django_capture_on_commit_callbacks):
    c, user = phone_client()
    fill_application(c, where={"organ_station": str(city.station_a.pk)})
    case = _submit(c, django_capture_on_commit_callbacks)
    draft = ApplicationDraft.objects.get(submitted_case=case)
    with pytest.raises(Exception, match="已经提交"):
        services.application_submit(account=user, draft_id=draft.public_id)
    # A new application starts a new draft.
    c.post("/apply/")
    assert ApplicationDraft.objects.filter(account=user, submitted_at__isnull=True).count() == 1


def test_other_roles_cannot_apply_online(city):
    c = Client()
    sign_in(c, city.user("reviewer_a"))
    assert c.get("/apply/").status_code == 404
    assert Client().get("/apply/")["Location"].startswith("/signin/")


def test_drafts_belong_to_their_account(city, phone_client):
    c1, u1 = phone_client("13900000011")
    c1.post("/apply/")
    draft = ApplicationDraft.objects.get(account=u1)
    _, u2 = phone_client("13900000012")
    from fayuan.core.errors import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        services.draft_save(account=u2, draft_id=draft.public_id, step="who", data={"self_name": "x"})


def test_stale_drafts_are_purged_with_their_photos(city, phone_client, django_capture_on_commit_callbacks):
    c, user = phone_client()
    c.post("/apply/")
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    c.post("/apply/files/", {"action": "upload", "kind": "id_document",
                             "files": SimpleUploadedFile("id.jpg", JPEG, content_type="image/jpeg")})
    stored = DraftFile.objects.get()
    path = stored.file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert services.draft_purge_stale(before=stored.uploaded_at - dt.timedelta(days=1)) == 0
        assert services.draft_purge_stale(before=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == 1
    assert not ApplicationDraft.objects.exists() and not DraftFile.objects.exists()
    import os

    assert not os.path.exists(path)
    assert Consent.objects.filter(account=user, draft__isnull=True).count() == 1


def test_a_draft_photo_stored_by_a_rolled_back_transaction_is_deleted(city, phone_client, settings):
    from django.db import transaction

    from fayuan.core.uploads import sweep_rolled_back

    c, user = phone_client()
    c.post("/apply/")
    c.post("/apply/consent/", {"agree": "on", "action": "next"})
    draft = ApplicationDraft.objects.get(account=user)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.draft_file_add(account=user, draft_id=draft.public_id, kind="id_document",
                                upload=SimpleUploadedFile("id.jpg", JPEG, content_type="image/jpeg"))
        raise RuntimeError("a later step of the same transaction failed")
    assert sweep_rolled_back() == 1
    assert not DraftFile.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
