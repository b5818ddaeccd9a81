"""The migrations of full coverage keep the notices already received: each gets its case's center, and the old flag
"simplified or fast-track" becomes the procedure (simplified); the switches are shipped again on the way forward."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fayuan.criminal.tests.support import send_notice

BEFORE = [("criminal", "0001_initial")]
AFTER = [("criminal", "0004_notice_center_and_procedure")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_existing_notices_get_their_center_and_procedure(city):
    flagged, plain = send_notice(city, ground="minor"), send_notice(city, ground="blind_deaf_mute")
    apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    apps.get_model("criminal", "Notice").objects.filter(pk=flagged.pk).update(simplified_procedure=True)

    apps = _migrate(AFTER).loader.project_state(AFTER).apps
    Notice = apps.get_model("criminal", "Notice")
    after_flagged, after_plain = Notice.objects.get(pk=flagged.pk), Notice.objects.get(pk=plain.pk)
    assert after_flagged.center_id == after_plain.center_id == city.center_a.pk
    assert (after_flagged.procedure, after_plain.procedure) == ("simplified", "ordinary")
    assert {n.route for n in (after_flagged, after_plain)} == {"lawyer"}
    assert apps.get_model("criminal", "CoverageSwitch").objects.count() == 14
