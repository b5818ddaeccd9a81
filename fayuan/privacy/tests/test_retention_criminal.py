"""Retention of criminal legal aid's own records (issue 11 follow-up): the police's rights notifications and the duty
lawyers' help records lose the names, ID numbers and notes they hold once the archive period has passed since their
own date (the same ARCHIVE_RETENTION_YEARS as an archived case); newer rows keep them; the person filed from a help
record goes too when nothing of theirs is still within retention; each clearing is audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from fayuan.conftest import valid_id
from fayuan.core.models import AuditEntry
from fayuan.custody import selectors as custody_selectors
from fayuan.custody import services as custody_services
from fayuan.custody.models import RightsNotification
from fayuan.custody.tests.helpers import local, police
from fayuan.duty import services as duty_services
from fayuan.duty.models import Duty, HelpRecord
from fayuan.duty.tests.support import JANUARY, published_next
from fayuan.people.models import Person
from fayuan.privacy import retention
from fayuan.privacy.models import Anonymization
from fayuan.privacy.services import anonymize_expired

pytestmark = pytest.mark.django_db
NOW = local(2026, 12, 2, 10, 0)
OLD = local(2026, 3, 10, 9, 0)  # told 267 days before NOW


def notify(actor, name, *, at, number="京公(刑)字[2026]100号", **fields):
    return custody_services.rights_notification_record(actor=actor, now=NOW, data=custody_services.NotificationInput(
        suspect_name=name, organ_case_number=number, occasion="first_interrogation", method="written",
        notified_at=at, **fields))


def last_day(moment: dt.datetime) -> dt.date:
    """The last day the record is still within retention: its own date ARCHIVE_RETENTION_YEARS on."""
    day = moment.date()
    return day.replace(year=day.year + retention.archive_years())


def audit_after(seq: int) -> set[tuple[str, str]]:
    return {(e.object_type, e.detail.get("operation")) for e in AuditEntry.objects.filter(seq__gt=seq)}


def test_a_rights_notification_past_the_period_loses_the_suspects_identity_and_a_newer_one_does_not(city):
    liaison = police(city)
    old = notify(liaison, "孙八", at=OLD, id_number=valid_id(21))
    new = notify(liaison, "周九", at=NOW, number="京公(刑)字[2026]200号", id_number=valid_id(22))
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    assert anonymize_expired(on=last_day(OLD))["rights_notifications"] == 0  # the last day: kept
    assert RightsNotification.objects.get(pk=old.pk).suspect_name == "孙八"
    done = anonymize_expired(on=last_day(OLD) + dt.timedelta(days=1))
    assert done["rights_notifications"] == 1

    cleared = RightsNotification.objects.get(pk=old.pk)
    assert cleared.suspect_name == f"已匿名#{old.pk}"
    assert (cleared.id_number_encrypted, cleared.id_number_hash, cleared.id_number_masked) == ("", "", "")
    # What the coverage report counts stays.
    assert (cleared.organ_id, cleared.organ_case_number, cleared.method, cleared.notified_at) == (
        old.organ_id, old.organ_case_number, old.method, old.notified_at)
    kept = RightsNotification.objects.get(pk=new.pk)
    assert kept.suspect_name == "周九" and kept.id_number_hash == new.id_number_hash != ""
    assert Anonymization.objects.filter(rights_notification=old).exists()
    assert not Anonymization.objects.filter(rights_notification=new).exists()
    assert ("custody.rightsnotification", "anonymize") in audit_after(before)
    call_command("verify_audit")
    assert anonymize_expired(on=last_day(OLD) + dt.timedelta(days=2))["rights_notifications"] == 0  # idempotent


def test_one_suspects_notifications_of_a_police_case_go_together_and_still_count_as_one_suspect(city):
    liaison = police(city)
    first = notify(liaison, "孙八", at=OLD)
    later = notify(liaison, "孙八", at=OLD + dt.timedelta(days=20))
    [row] = custody_selectors.notification_coverage(city.user("bureau"))
    assert (row.notifications, row.suspects) == (2, 1)

    # The first is past its period, the second not yet: both wait, so the pair does not split.
    assert anonymize_expired(on=last_day(OLD) + dt.timedelta(days=1))["rights_notifications"] == 0
    assert anonymize_expired(on=last_day(later.notified_at) + dt.timedelta(days=1))["rights_notifications"] == 2
    names = set(RightsNotification.objects.values_list("suspect_name", flat=True))
    assert names == {f"已匿名#{first.pk}"}
    [row] = custody_selectors.notification_coverage(city.user("bureau"))
    assert (row.notifications, row.suspects, row.evidenced) == (2, 1, 1)


def test_a_notification_linked_to_a_case_waits_for_the_case(city):
    liaison = police(city)
    person = Person.objects.get(pk=city.person_a.pk)
    n = notify(liaison, person.name, at=OLD)
    RightsNotification.objects.filter(pk=n.pk).update(case=_open_case(city))
    assert anonymize_expired(on=last_day(OLD) + dt.timedelta(days=1))["rights_notifications"] == 0
    assert RightsNotification.objects.get(pk=n.pk).suspect_name == person.name


def _open_case(city):
    from fayuan.cases.tests.conftest import receive

    return receive(city)  # never archived, so never anonymized


@pytest.fixture
def on_duty(city):
    users = published_next(city, JANUARY)
    duties = list(Duty.objects.filter(provider_id=users[0].provider_id).order_by("date")[:2])
    return users[0], duties


def _help(user, duty, name, **kw):
    with time_machine.travel(f"{duty.date.isoformat()} 10:00 +0800", tick=False):
        return duty_services.help_record_create(actor=user, duty_id=duty.pk, person_name=name, stage="trial",
                                                kind="consultation", organ_case_number="（2027）苏1102刑初5号",
                                                notes=f"向{name}解释认罪认罚从宽制度。", **kw)


def test_a_help_record_past_the_period_loses_name_number_and_notes_and_a_newer_one_does_not(city, on_duty):
    user, (first, second) = on_duty
    old = _help(user, first, "吴十", id_number=valid_id(51))
    new = _help(user, second, "郑十一")
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    old_last = last_day(old.recorded_at.astimezone(local(2027, 1, 1).tzinfo))
    assert old_last < last_day(new.recorded_at.astimezone(local(2027, 1, 1).tzinfo))

    assert anonymize_expired(on=old_last)["help_records"] == 0
    done = anonymize_expired(on=old_last + dt.timedelta(days=1))
    assert (done["help_records"], done["persons"]) == (1, 1)  # the person filed from the help record goes too

    cleared = HelpRecord.objects.get(pk=old.pk)
    assert (cleared.person_name, cleared.organ_case_number, cleared.notes) == ("已匿名", "", "")
    assert (cleared.station_id, cleared.provider_id, cleared.kind, cleared.stage) == (
        old.station_id, old.provider_id, old.kind, old.stage)
    person = Person.objects.get(pk=old.person_id)
    assert person.name == "已匿名" and person.id_number_hash is None
    kept = HelpRecord.objects.get(pk=new.pk)
    assert kept.person_name == "郑十一" and kept.notes.startswith("向郑十一")
    assert {("duty.helprecord", "anonymize"), ("people.person", "anonymize")} <= audit_after(before)
    call_command("verify_audit")
    assert anonymize_expired(on=old_last + dt.timedelta(days=2))["help_records"] == 0


def test_a_person_with_a_newer_help_record_keeps_their_identity(city, on_duty):
    user, (first, second) = on_duty
    old = _help(user, first, "吴十", id_number=valid_id(51))
    _help(user, second, "吴十", id_number=valid_id(51))  # the same person, helped again the next duty
    old_last = last_day(old.recorded_at.astimezone(local(2027, 1, 1).tzinfo))
    done = anonymize_expired(on=old_last + dt.timedelta(days=1))
    assert (done["help_records"], done["persons"]) == (1, 0)
    assert Person.objects.get(pk=old.person_id).name == "吴十"


def test_an_anonymized_notice_case_loses_the_notices_charge_and_the_organs_case_number(city):
    from fayuan.cases import services
    from fayuan.criminal.models import Notice
    from fayuan.criminal.tests.support import send_notice

    reviewer = city.user("reviewer_a")
    notice = send_notice(city, ground="blind_deaf_mute", contact="书记员王某 0511-85000000")
    case = notice.case
    lawyer = services.case_assign(actor=reviewer, public_id=case.public_id).provider
    lawyer_user = lawyer.user
    services.assignment_accept(actor=lawyer_user, public_id=case.public_id)
    services.agreement_record(actor=lawyer_user, public_id=case.public_id, signed_on=timezone.localdate())
    services.closing_submit(actor=lawyer_user, public_id=case.public_id, outcome="won",
                            report="依法出庭辩护，提出无罪辩护意见。")
    services.closing_review(actor=reviewer, public_id=case.public_id, accept=True)
    services.case_archive(actor=reviewer, public_id=case.public_id)
    case.refresh_from_db()

    anonymize_expired(on=case.retention_until)  # the last day: kept
    assert Notice.objects.get(pk=notice.pk).organ_case_number == "(2026)苏1102刑初12号"  # normalized
    anonymize_expired(on=case.retention_until + dt.timedelta(days=1))
    row = Notice.objects.get(pk=notice.pk)
    assert (row.charge, row.organ_case_number, row.contact, row.custody_place_text) == ("已匿名", "", "", "")
    assert (row.stage, row.ground, row.received_at) == (notice.stage, notice.ground, notice.received_at)


def test_a_duty_routed_notice_past_the_period_loses_its_free_text_and_its_person_goes_with_it(city):
    from fayuan.criminal.grounds import Procedure
    from fayuan.criminal.models import Notice
    from fayuan.criminal.tests.support import send_notice

    with time_machine.travel(OLD, tick=False):
        old = send_notice(city, ground="full_coverage", name="周某某", charge="盗窃罪", procedure=Procedure.SIMPLIFIED,
                          contact="书记员王某 0511-85000000")
    with time_machine.travel(NOW, tick=False):
        new = send_notice(city, ground="full_coverage", name="吴某某", charge="诈骗罪", procedure=Procedure.FAST_TRACK)
    assert old.case is None and new.case is None
    assert anonymize_expired(on=last_day(OLD))["duty_notices"] == 0  # the last day: kept
    done = anonymize_expired(on=last_day(OLD) + dt.timedelta(days=1))
    assert done["duty_notices"] == 1 and done["persons"] == 1
    row = Notice.objects.get(pk=old.pk)
    assert (row.charge, row.organ_case_number, row.contact) == ("已匿名", "", "")
    assert (row.stage, row.ground, row.procedure, row.route) == (old.stage, old.ground, old.procedure, old.route)
    assert Person.objects.get(pk=old.person_id).name == "已匿名"
    assert Notice.objects.get(pk=new.pk).charge == "诈骗罪" and Person.objects.get(pk=new.person_id).name == "吴某某"
    assert ("criminal.notice", "anonymize") in {(e.object_type, e.detail.get("operation"))
                                                for e in AuditEntry.objects.filter(object_id=str(old.pk))}
    assert anonymize_expired(on=last_day(OLD) + dt.timedelta(days=2))["duty_notices"] == 0  # idempotent
