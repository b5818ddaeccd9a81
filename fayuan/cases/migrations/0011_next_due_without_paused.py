from django.db import migrations
from django.db.models import OuterRef, Subquery


def refill_next_due_of_paused(apps, schema_editor):
    """``next_due`` now leaves paused deadlines out (a clock stopped while the applicant's materials are awaited is
    neither due nor overdue): the cases that have one get the earliest due date of their running deadlines again.
    Only those cases are touched; elsewhere the value is already right."""
    case_model = apps.get_model("cases", "Case")
    deadline_model = apps.get_model("deadlines", "Deadline")
    case_type = apps.get_model("contenttypes", "ContentType").objects.filter(app_label="cases", model="case").first()
    if case_type is None:
        return
    running = deadline_model.objects.filter(subject_type=case_type, met_at__isnull=True, cancelled_at__isnull=True)
    paused_case_ids = running.filter(paused_at__isnull=False).values("subject_id")
    earliest = running.filter(subject_id=OuterRef("pk"), paused_at__isnull=True).order_by("due_on").values("due_on")[:1]
    case_model.objects.filter(pk__in=paused_case_ids).update(next_due=Subquery(earliest))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("deadlines", "0006_queue_next_due"),
        ("cases", "0010_events_by_year"),
    ]

    operations = [
        migrations.RunPython(refill_next_due_of_paused, migrations.RunPython.noop, elidable=True),
    ]
