"""Retention: archived cases past their retention date are anonymized by the daily job, with their people when
nothing of theirs is still within retention; statistics fields stay; files go; every anonymization is audited and
the audit chain still verifies."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from fayuan.cases.models import Case, CaseFile, ClosingFile
from fayuan.cases.tests.conftest import receive
from fayuan.conftest import valid_id
from fayuan.core.models import AuditEntry
from fayuan.jobs.schedule import JOBS
from fayuan.people.models import Person
from fayuan.privacy import retention
from fayuan.privacy.models import Anonymization
from fayuan.privacy.services import anonymize_expired

from .conftest import archived


def counts(**done: int) -> dict[str, int]:
    return {"cases": 0, "persons": 0, "rights_notifications": 0, "help_records": 0, "duty_notices": 0, **done}


def test_the_rule():
    on = dt.date(2056, 3, 1)
    assert retention.case_due("archived", dt.date(2056, 2, 29), on)
    assert not retention.case_due("archived", on, on)  # the last day is still within retention
    assert not retention.case_due("closed", dt.date(2000, 1, 1), on)  # only archived cases
    assert not retention.case_due("archived", None, on)


def test_a_case_past_retention_is_anonymized_and_one_within_is_not(city, django_capture_on_commit_callbacks):
    old = archived(city)
    stored = list(CaseFile.objects.filter(case=old).values_list("file", flat=True))
    assert stored and all(default_storage.exists(name) for name in stored)
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # numbers have gaps

    assert anonymize_expired(on=old.retention_until) == counts()  # the last day: kept
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the anonymization committed
        done = anonymize_expired(on=old.retention_until + dt.timedelta(days=1))
    assert done == counts(cases=1, persons=1)

    case = Case.objects.get(pk=old.pk)
    assert case.facts == "" and case.matter_summary == "已匿名" and case.opposing_party == "已匿名"
    # Statistics keep counting it.
    assert (case.center_id, case.case_type, case.matter, case.status, case.received_at) == (
        old.center_id, old.case_type, old.matter, "archived", old.received_at)
    assert ClosingFile.objects.get(case=case).outcome == "won" and ClosingFile.objects.get(case=case).report == ""
    assert not any(default_storage.exists(name) for name in stored)
    assert CaseFile.objects.get(case=case).file.name == ""

    person = Person.objects.get(pk=city.person_a.pk)
    assert person.name == "已匿名" and person.phone == "" and person.id_number_hash is None
    assert person.id_number_encrypted == "" and person.address == "" and person.birth_date.month == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "张三" not in row and valid_id(11)[-6:] not in row and "0001" not in row

    new = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert {(e.object_type, e.detail.get("operation")) for e in new} >= {("cases.case", "anonymize"),
                                                                        ("people.person", "anonymize")}
    call_command("verify_audit")  # raises CommandError on a broken chain
    # A second run changes nothing.
    assert anonymize_expired(on=old.retention_until + dt.timedelta(days=2)) == counts()


def test_a_person_with_another_case_within_retention_keeps_their_identity(city):
    old = archived(city)
    receive(city)  # a second application of person_a, still open
    done = anonymize_expired(on=old.retention_until + dt.timedelta(days=1))
    assert done == counts(cases=1)
    assert Person.objects.get(pk=city.person_a.pk).name == "张三"
    assert Case.objects.get(pk=old.pk).facts == ""
    assert not Anonymization.objects.filter(person=city.person_a).exists()
    call_command("verify_audit")


def test_the_job_is_scheduled_daily_with_its_date():
    [job] = [j for j in JOBS if j.name == "anonymize_expired_cases"]
    assert job.at is not None and job.dated


def test_an_anonymized_case_takes_its_complaints_and_quality_records_words_with_it(city):
    from fayuan.complaints.models import Complaint
    from fayuan.complaints.services import ComplaintInput, complaint_record

    old = archived(city)
    complaint = complaint_record(actor=city.user("reviewer_a"), data=ComplaintInput(
        case_number=old.number, provider_id=city.user("provider_a").provider_id, channel="phone",
        complainant_kind="recipient", complainant_name="李四", category="not_diligent", facts="律师一直联系不上李四。",
        phone="13800138000"))
    from fayuan.quality.models import StageEvaluation
    from fayuan.quality.services import stage_evaluation_record

    stage_evaluation_record(actor=city.user("reviewer_a"), public_id=old.public_id, stage="closing", score=4,
                            comment="李四称律师后来很负责。")
    anonymize_expired(on=old.retention_until + dt.timedelta(days=1))
    assert StageEvaluation.objects.get(case=old).comment == ""
    row = Complaint.objects.get(pk=complaint.pk)
    assert (row.complainant_name, row.phone, row.phone_masked, row.facts) == ("已匿名", "", "", "")
    assert (row.category, row.provider_id, row.channel) == ("not_diligent", complaint.provider_id, "phone")
