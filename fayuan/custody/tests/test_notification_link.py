"""A rights notification meets the later case of the same person (matched by the person record: the ID number's
keyed hash, never the name alone) and both pages show it: the notification's page names the case (with its number
for the center that holds it), the case page and the organ's notice page link back to the notification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import valid_id
from fayuan.core.models import AuditEntry
from fayuan.criminal.tests.support import send_notice
from fayuan.custody import services
from fayuan.custody.models import RightsNotification

from .helpers import police

pytestmark = pytest.mark.django_db


def tell(liaison, name="孙八", id_number="", at=None, number="京公(刑)字[2026]100号"):
    return services.rights_notification_record(actor=liaison, data=services.NotificationInput(
        suspect_name=name, organ_case_number=number, occasion="first_interrogation", method="written",
        notified_at=at or timezone.now() - dt.timedelta(days=3), id_number=id_number))


def test_the_later_notice_case_of_the_same_person_is_linked_and_both_pages_show_it(client, city):
    liaison = police(city)
    told = tell(liaison, id_number=valid_id(61))
    assert told.case_id is None and told.person_id is None  # no person record yet: none is filed from here
    notice = send_notice(city, name="孙八", id_number=valid_id(61))
    told.refresh_from_db()
    assert told.case_id == notice.case_id and told.person_id == notice.person_id
    assert AuditEntry.objects.filter(object_type="custody.rightsnotification", object_id=str(told.pk),
                                     detail__operation="link_later_case").exists()

    page = reverse("custody:notification", args=[told.public_id])
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("cases:detail", args=[notice.case.public_id])).content.decode()
    assert page in html and "权利告知登记" in html
    html = client.get(reverse("criminal:notice", args=[notice.public_id])).content.decode()
    assert "data-other-records" in html and page in html
    html = client.get(page).content.decode()
    assert notice.case.number in html and reverse("cases:detail", args=[notice.case.public_id]) in html
    assert reverse("criminal:notice", args=[notice.public_id]) in html  # the case's notice, not this page again

    sign_in(client, liaison)  # the police see that a case followed, not its number
    html = client.get(page).content.decode()
    assert "已有法律援助案件" in html and notice.case.number not in html
    assert "已关联" in client.get(reverse("custody:notifications")).content.decode()


def test_a_name_alone_does_not_link(city):
    told = tell(police(city), name="孙八")
    send_notice(city, name="孙八", id_number=valid_id(61))
    assert RightsNotification.objects.get(pk=told.pk).case_id is None


def test_a_notification_entered_after_the_case_arrived_is_linked_when_entered(city):
    liaison = police(city)
    notice = send_notice(city, name="孙八", id_number=valid_id(61))
    told = tell(liaison, id_number=valid_id(61), at=notice.case.received_at - dt.timedelta(hours=5))
    assert (told.case_id, told.person_id) == (notice.case_id, notice.person_id)


def test_a_case_before_the_notification_or_of_another_person_is_not_linked(city):
    liaison = police(city)
    notice = send_notice(city, name="孙八", id_number=valid_id(61))
    after = tell(liaison, id_number=valid_id(61), at=timezone.now())  # told after that case arrived
    other = tell(liaison, name="周九", id_number=valid_id(62), number="京公(刑)字[2026]101号")
    assert after.case_id is None and after.person_id == notice.person_id
    assert RightsNotification.objects.get(pk=other.pk).case_id is None


def test_another_center_and_another_police_organ_get_404(client, city):
    liaison = police(city)
    told = tell(liaison, id_number=valid_id(61))
    send_notice(city, name="孙八", id_number=valid_id(61))
    page = reverse("custody:notification", args=[told.public_id])
    for key in ("reviewer_b", "organ_a", "provider_a"):
        sign_in(client, city.user(key))
        assert client.get(page).status_code == 404, key
    sign_in(client, police(city, "b"))
    assert client.get(page).status_code == 404
