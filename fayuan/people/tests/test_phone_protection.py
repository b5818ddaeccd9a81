"""Phone numbers at rest and on screen (issue 9 item 7): encrypted with a keyed hash for lookup, masked on pages
and in the API, and searched by POST only so that no number lands in a URL or an access log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import receive
from fayuan.core.crypto import phone_lookup_hash, phone_mask
from fayuan.notifications.models import ContactPreference
from fayuan.notifications.services import contact_preference_set
from fayuan.people.models import Person, PersonRegistration
from fayuan.people.selectors import person_list_for_user

pytestmark = pytest.mark.django_db

PHONE = "13800000001"  # person_a's number (fayuan.conftest)


def _raw_row(table: str, pk: int) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 (table names are constants)
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_stored_row_holds_no_clear_number(city):
    row = _raw_row(Person._meta.db_table, city.person_a.pk)
    assert "phone" not in row  # the clear column is gone
    assert PHONE not in " ".join(str(v) for v in row.values())
    assert row["phone_masked"] == "138****0001" and row["phone_hash"] == phone_lookup_hash(PHONE)
    assert Person.objects.get(pk=city.person_a.pk).phone == PHONE  # decrypts for code that must print it


def test_registrations_and_contact_preferences_are_encrypted_too(city):
    from fayuan.people.services import person_register

    person_register(actor=city.user("reviewer_b"), name="张某", id_number=city.person_a.decrypted_id_number(),
                    phone="13900000009")
    registration = PersonRegistration.objects.get(person=city.person_a)
    row = _raw_row(PersonRegistration._meta.db_table, registration.pk)
    assert "13900000009" not in " ".join(str(v) for v in row.values()) and registration.phone == "13900000009"
    pref = contact_preference_set(actor=city.user("reviewer_a"), user=city.user("reviewer_a"), phone="13700000007")
    row = _raw_row(ContactPreference._meta.db_table, pref.pk)
    assert "13700000007" not in " ".join(str(v) for v in row.values())
    assert ContactPreference.objects.get(phone_hash=phone_lookup_hash("13700000007")).sms_phone == "13700000007"


def test_lookup_by_keyed_hash_and_by_tail_only_when_posted(city):
    reviewer = city.user("reviewer_a")
    for typed in (PHONE, "138 0000 0001", "+86 138-0000-0001", "0001"):
        assert list(person_list_for_user(reviewer, query=typed, by_phone=True)) == [city.person_a], typed
    # A query from a URL (by_phone=False) searches names only.
    assert not person_list_for_user(reviewer, query=PHONE).exists()
    assert not person_list_for_user(reviewer, query="0001").exists()
    # Out of scope stays out of scope, whatever the number.
    assert not person_list_for_user(city.user("reviewer_b"), query=PHONE, by_phone=True).exists()


def test_mask_forms():
    assert phone_mask("13800000001") == "138****0001"
    assert phone_mask("0511-85001234") == "051*****1234"
    assert phone_mask("") == "" and phone_mask("12345") == "***45"


def test_people_search_is_a_post_and_a_phone_in_the_url_is_ignored(client: Client, city):
    sign_in(client, city.user("reviewer_a"))
    listing = reverse("people:list")
    # GET ?q=<tail> does not search: everybody in scope is listed.
    html = client.get(listing, {"q": "0001"}).content.decode()
    assert "张三" in html and "李四" in html and "赵六" in html
    # The POSTed search redirects to an opaque key; the number is in no URL.
    response = client.post(listing, {"q": "0001"})
    assert response.status_code == 302 and "0001" not in response["Location"]
    assert response["Location"].startswith(listing + "?s=")
    html = client.get(response["Location"]).content.decode()
    assert "张三" in html and "李四" not in html and "赵六" not in html
    # htmx: the results come at once and the address bar gets the opaque key.
    partial = client.post(listing, {"q": PHONE}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "张三" in partial.content.decode() and "李四" not in partial.content.decode()
    assert PHONE not in partial["HX-Push-Url"] and "?s=" in partial["HX-Push-Url"]
    # Another session cannot replay the key.
    other = Client()
    sign_in(other, city.user("reviewer_a"))
    assert "李四" in other.get(response["Location"]).content.decode()


def test_the_search_forms_post_with_a_csrf_token(client: Client, city):
    sign_in(client, city.user("reviewer_a"))
    pages = [reverse(n) for n in ("people:list", "cases:new", "consultations:new", "consultations:list")]
    for name in [*pages, reverse("cases:queue") + "?tab=all"]:
        html = client.get(name).content.decode()
        assert 'role="search"' in html and 'method="get"' not in html.split('role="search"')[0][-400:], name
        form = html[html.rfind("<form", 0, html.index('role="search"')):]
        assert 'method="post"' in form.split(">")[0] and "csrfmiddlewaretoken" in form.split("</form>")[0], name


def test_pages_show_the_phone_masked(client: Client, city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("people:detail", args=[city.person_a.public_id])).content.decode()
    assert "138****0001" in html and PHONE not in html
    case = receive(city)
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "138****0001" in html and PHONE not in html


def test_the_admin_sets_a_contact_phone_encrypted(client: Client, city):
    sign_in(client, city.user("sysadmin"))
    url = reverse("admin:notifications_contactpreference_add")
    response = client.post(url, {"user": city.user("reviewer_a").pk, "sms_enabled": "on", "phone": "13700000008"})
    assert response.status_code == 302, response.content.decode()[:2000]
    pref = ContactPreference.objects.get(user=city.user("reviewer_a"))
    assert pref.phone == "13700000008" and pref.phone_masked == "137****0008"
    assert "13700000008" not in " ".join(str(v) for v in _raw_row(ContactPreference._meta.db_table, pref.pk).values())
