"""Slugs made for staff: a record with only a Japanese name saves with its slug left
blank, gets one that reads as the name, keeps it, and never a server error."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from activities import slugs
from activities.models import Activity, Organization, Theme
from tests import factories
from tests.html_forms import form_data
from tests.test_admin import activity_form_data, assert_saved, url

pytestmark = pytest.mark.django_db

FORM_IDS = {Organization: "organization_form", Theme: "theme_form"}


def add(client, model: type, **fields):
    """Post the add page's form as a browser would, with these fields filled in."""
    if model is Organization:
        fields.setdefault("kind", Organization.Kind.INTERNATIONAL_NETWORK)
    page = client.get(url(model, "add")).content.decode()
    data = form_data(page, FORM_IDS[model])
    data.update({name: [value] for name, value in fields.items()})
    return client.post(url(model, "add"), data)


def change(client, obj, **fields):
    """Post the change page's form back as it came, but for these fields."""
    page = client.get(url(type(obj), "change", obj.pk)).content.decode()
    data = form_data(page, FORM_IDS[type(obj)])
    data.update({name: [value] for name, value in fields.items()})
    return client.post(url(type(obj), "change", obj.pk), data)


# --- Made when left blank ---------------------------------------------------------------


def test_partner_with_only_a_japanese_name_saves_with_a_romanized_slug(admin_client, client):
    response = add(admin_client, Organization, name_ja="気候変動枠組条約事務局", slug="")

    assert_saved(response)
    partner = Organization.objects.get()
    assert partner.slug == "kikou-hendou-wakugumi-jouyaku-jimukyoku"
    # Its page, once a published activity has it (a partner no published activity
    # has is not public).
    factories.ActivityFactory(partners=[partner])
    assert client.get(f"/ja/partners/{partner.slug}/").status_code == 200


def test_theme_with_only_a_japanese_name_saves_with_a_romanized_slug(admin_client, client):
    response = add(admin_client, Theme, name_ja="電気自動車", slug="")

    assert_saved(response)
    theme = Theme.objects.get()
    assert theme.slug == "denkijidousha"
    factories.ActivityFactory(themes=[theme])
    assert client.get(f"/ja/themes/{theme.slug}/").status_code == 200


@pytest.mark.parametrize(("model", "prefix"), [(Organization, "partner"), (Theme, "theme")])
def test_a_name_with_nothing_to_read_gets_the_records_number(admin_client, model, prefix):
    assert_saved(add(admin_client, model, name_ja="★☆", slug=""))

    obj = model.objects.get()
    assert obj.slug == f"{prefix}-{obj.pk}"


def test_partner_slug_comes_from_a_short_name_in_latin_letters(admin_client):
    fields = {"name_ja": "気候変動枠組条約事務局", "name_en": "UN Climate Change"}
    assert_saved(add(admin_client, Organization, short_name_ja="UNFCCC", **fields))
    assert_saved(add(admin_client, Organization, short_name_ja="国連", name_ja="国連広報センター"))

    assert sorted(Organization.objects.values_list("slug", flat=True)) == [
        "kokuren-kouhou-sentaa",
        "unfccc",
    ]


@pytest.mark.parametrize("model", [Organization, Theme])
def test_english_name_makes_the_slug_when_there_is_one(admin_client, model):
    response = add(
        admin_client, model, name_ja="国連気候変動枠組条約", name_en="UN Climate Change", slug=""
    )

    assert_saved(response)
    assert model.objects.get().slug == "un-climate-change"


@pytest.mark.parametrize("model", [Organization, Theme])
def test_records_of_the_same_name_get_slugs_of_their_own(admin_client, model):
    # Theme names are unique: these differ only in what a slug leaves out.
    names = (
        ["電気自動車", "電気自動車！", "電気自動車？"] if model is Theme else ["イクレイ日本"] * 3
    )
    for name in names:
        assert_saved(add(admin_client, model, name_ja=name, slug=""))

    slugs_made = list(model.objects.order_by("pk").values_list("slug", flat=True))
    base = slugs_made[0]
    assert slugs_made == [base, f"{base}-2", f"{base}-3"]


def test_staff_see_the_slug_in_plain_japanese(admin_client):
    page = admin_client.get(url(Organization, "add")).content.decode()

    assert '<label for="id_slug">URLに使う名前（英数字）:</label>' in page
    assert "空欄のまま保存すると自動で作ります" in page
    assert "スラッグ" not in page


# --- Kept once made ----------------------------------------------------------------------


@pytest.mark.parametrize("model", [Organization, Theme])
def test_slug_does_not_change_when_the_name_does(admin_client, model):
    assert_saved(add(admin_client, model, name_ja="電気自動車", slug=""))
    obj = model.objects.get()

    assert_saved(change(admin_client, obj, name_ja="次世代自動車", name_en="Next cars"))
    obj.refresh_from_db()
    assert obj.slug == "denkijidousha"

    # Emptied on the form: the record keeps the slug it has.
    assert_saved(change(admin_client, obj, slug=""))
    obj.refresh_from_db()
    assert obj.slug == "denkijidousha"


def test_a_slug_staff_type_is_made_into_a_slug(admin_client):
    assert_saved(add(admin_client, Theme, name_ja="気候変動", slug="Climate Change"))
    assert_saved(add(admin_client, Theme, name_ja="再生可能エネルギー", slug="再エネ"))
    # A slug as it is, even one not as the site makes them now.
    assert_saved(add(admin_client, Theme, name_ja="水素", slug="Hydrogen_2030"))

    assert sorted(Theme.objects.values_list("slug", flat=True)) == [
        "Hydrogen_2030",
        "climate-change",
        "sai-ene",
    ]
    theme = Theme.objects.get(slug="Hydrogen_2030")
    assert_saved(change(admin_client, theme, name_ja="水素エネルギー"))
    theme.refresh_from_db()
    assert theme.slug == "Hydrogen_2030"


def test_a_very_long_slug_typed_is_answered_at_once(admin_client):
    started = time.monotonic()
    response = add(admin_client, Theme, name_ja="気候変動", slug="気候変動枠組" * 5000)

    assert time.monotonic() - started < 5
    assert_saved(response)
    assert Theme.objects.get().slug.startswith("kikou-hendou-wakugumi-kikou-hendou")


def test_a_slug_typed_that_another_partner_has_is_explained(admin_client):
    factories.OrganizationFactory(slug="iclei")

    response = add(admin_client, Organization, name_ja="イクレイ", slug="iclei")

    assert response.status_code == 200
    assert "ほかの相手先がすでに使っています" in response.content.decode()
    assert Organization.objects.count() == 1


def test_activity_slug_is_labelled_plainly_and_still_made_from_the_start_date(admin_client):
    page = admin_client.get(url(Activity, "add")).content.decode()
    assert '<label for="id_slug">URLに使う名前（英数字）:</label>' in page

    for _ in range(2):
        assert_saved(admin_client.post(url(Activity, "add"), activity_form_data()))

    assert sorted(Activity.objects.values_list("slug", flat=True)) == [
        "2020-02-05",
        "2020-02-05-2",
    ]


# --- Saved at the same moment ------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "taken"),
    [
        (lambda n: Organization(name_ja="気候変動枠組条約事務局", kind="ngo"), "kikou-hendou-"),
        # Theme names are unique: these two differ only in what a slug leaves out.
        (lambda n: Theme(name_ja="電気自動車" + "！" * n), "denkijidousha"),
        (lambda n: Activity(title="会議", kind="meeting", start_date="2021-11-01"), "2021-11-01"),
    ],
    ids=["partner", "theme", "activity"],
)
def test_a_slug_a_colleague_took_meanwhile_is_not_an_error(monkeypatch, make, taken):
    """A colleague's record of the same name is saved after this one chose its slug
    and before it was written: the unique constraint refuses the first choice, and
    the save takes the next free slug instead of failing."""
    first = make(0)
    first.save()
    real_free_slug = slugs.free_slug
    stale = []

    def as_before_the_colleagues_save(rows, base):
        if not stale:
            stale.append(base)
            return base  # what this save saw before the colleague's row was there
        return real_free_slug(rows, base)

    monkeypatch.setattr(slugs, "free_slug", as_before_the_colleagues_save)
    second = make(1)
    with transaction.atomic():
        second.save()

    assert stale == [first.slug] and first.slug.startswith(taken)
    assert second.slug == f"{first.slug}-2"
    assert type(second).objects.filter(pk=second.pk, slug=second.slug).exists()
