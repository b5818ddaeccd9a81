"""The demo city's dashboards: every figure equals the slow recount from the raw records, for the city, each
district and a center, before and after the rollups are rebuilt (one seeding for all figures: seeding is the cost)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.stats import dashboard as board_module
from fayuan.stats.models import Tally
from fayuan.stats.services import tally_rebuild
from fayuan.stats.tests import recount
from fayuan.stats.tests.test_dashboard import FIGURES


def day_with_figures() -> dt.date:
    """Today; or, in the first moments of a year before anyone is aided in it (1 January at 00:05), the last day of
    the year the demo history reaches, so that the figures compared are not all zero."""
    today = timezone.localdate()
    latest = Tally.objects.filter(measure="aided").order_by("-month").values_list("month", flat=True).first()
    return today if latest is None or latest.year == today.year else dt.date(latest.year, 12, 31)


def _boards() -> list[board_module.Dashboard]:
    today = day_with_figures()
    city = User.objects.filter(role="bureau_supervisor", district__isnull=True).order_by("pk")[0]
    boards = [board_module.dashboard(city, today=today)]
    boards += [board_module.dashboard(city, district=d.pk, today=today) for d in boards[0].scope.districts[:3]]
    director = User.objects.filter(role="center_director").order_by("pk")[0]
    boards.append(board_module.dashboard(director, today=today))
    return boards


@pytest.mark.django_db(transaction=False)
def test_every_demo_figure_equals_the_raw_records_before_and_after_a_rebuild():
    call_command("seed_demo", persons=120, cases=80, consultations=0, stdout=io.StringIO())
    for stage in ("as kept", "rebuilt"):
        for board in _boards():
            shown, counted = recount.figures_of(board), recount.recount(board)
            for figure in FIGURES:
                assert shown[figure] == counted[figure], (stage, board.scope.title, figure)
        assert any(board_module.dashboard(
            User.objects.filter(role="bureau_supervisor", district__isnull=True).order_by("pk")[0],
            today=day_with_figures()).aid_total.aided for _ in (0,))
        tally_rebuild()
