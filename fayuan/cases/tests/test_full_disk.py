"""A full upload disk: the person gets a clear Chinese answer (503), and neither a row nor a half-written file
is left behind, whether the materials come later or with a new application."""

from __future__ import annotations

from fayuan.cases.models import Case, CaseFile
from fayuan.core.tests.test_storage_full import disk_fills_up, stored

from .test_views_journey import _application
from .views_support import HTMX, _clock, _media, as_user, png, station_case, url  # noqa: F401

FULL = "服务器存储空间不足，文件未能保存"


def test_materials_on_a_full_disk_are_a_clear_503_and_leave_nothing(client, city, settings):
    case = station_case(city)
    clerk = as_user(client, city, "clerk_a")
    with disk_fills_up():
        response = clerk.post(url("materials", case), {"kind": "means_proof", "uploads": [png("a.png")]})
    assert response.status_code == 503 and FULL in response.content.decode()
    assert not CaseFile.objects.exists()
    assert stored(settings.MEDIA_ROOT) == []
    with disk_fills_up():  # the case page's own request (htmx) gets the message in the page, too
        response = clerk.post(url("materials", case), {"kind": "means_proof", "uploads": [png("a.png")]}, **HTMX)
    assert response.status_code == 503 and FULL in response.content.decode()
    # Once there is room again, the same upload goes through.
    response = clerk.post(url("materials", case), {"kind": "means_proof", "uploads": [png("a.png")]})
    assert response.status_code == 302 and CaseFile.objects.count() == 1
    assert len(stored(settings.MEDIA_ROOT)) == 1


def test_a_new_application_with_materials_on_a_full_disk_records_nothing(client, city, settings):
    reviewer = as_user(client, city, "reviewer_a")
    with disk_fills_up():
        response = reviewer.post("/office/cases/new/", _application(city, material_file_0=png()))
    assert response.status_code == 503 and FULL in response.content.decode()
    assert response["Retry-After"] == "60"
    assert not Case.objects.exists() and not CaseFile.objects.exists()
    assert stored(settings.MEDIA_ROOT) == []
