"""The staff side: what staff can do in the admin, and what must never happen there."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from activities.models import (
    Activity,
    ActivityLink,
    Attendance,
    Department,
    Organization,
    Participant,
    Photo,
    Theme,
    Venue,
)
from tests import factories

pytestmark = pytest.mark.django_db

ACTIVITIES = "/admin/activities/activity/"

FACTORIES = {
    Activity: factories.ActivityFactory,
    Organization: factories.OrganizationFactory,
    Theme: factories.ThemeFactory,
    Venue: factories.VenueFactory,
    Participant: factories.ParticipantFactory,
    Department: factories.DepartmentFactory,
    Photo: factories.PhotoFactory,
}

# An editor enters and corrects records but may not publish.
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for action in ("view", "add", "change")
    for model in ("activity", "attendance", "photo", "activitylink")
] + [f"view_{model}" for model in ("organization", "theme", "venue", "participant", "department")]
PUBLISHER_PERMISSIONS = [*EDITOR_PERMISSIONS, "publish_activity"]


def url(model: type, action: str = "changelist", pk: int | None = None) -> str:
    base = f"/admin/activities/{model._meta.model_name}/"
    if action == "changelist":
        return base
    if action == "add":
        return f"{base}add/"
    if action == "change":
        return f"{base}{pk}/change/"
    return f"{base}{pk}/{action}/"


def staff_client(django_user_model, username: str, codenames: list[str]) -> Client:
    user = django_user_model.objects.create_user(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="activities", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(django_user_model) -> Client:
    return staff_client(django_user_model, "editor", EDITOR_PERMISSIONS)


@pytest.fixture
def publisher_client(django_user_model) -> Client:
    return staff_client(django_user_model, "publisher", PUBLISHER_PERMISSIONS)


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def activity_form_data(**fields) -> dict:
    """What the activity form posts, with empty inlines unless `fields` adds rows."""
    return {
        "title_ja": "ICLEI 世界大会",
        "title_en": "",
        "slug": "",
        "kind": Activity.Kind.CONFERENCE,
        "start_date": "2020-02-05",
        "end_date": "",
        "summary_ja": "",
        "summary_en": "",
        "body_ja": "",
        "body_en": "",
        "department": "",
        "status": Activity.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        **management_form("attendances"),
        **management_form("photos"),
        **management_form("links"),
        **fields,
    }


def change_data(activity: Activity, **fields) -> dict:
    """The change form of an activity without inline rows, as posted back."""
    data = activity_form_data(
        title_ja=activity.title,
        slug=activity.slug,
        kind=activity.kind,
        start_date=activity.start_date.isoformat(),
        status=activity.status,
        published_at_0=activity.published_at.date().isoformat() if activity.published_at else "",
        published_at_1="12:00:00" if activity.published_at else "",
        partners=[str(pk) for pk in activity.partners.values_list("pk", flat=True)],
        themes=[str(pk) for pk in activity.themes.values_list("pk", flat=True)],
        venues=[str(pk) for pk in activity.venues.values_list("pk", flat=True)],
        # The version the form was opened at: a stale one is refused (optimistic lock).
        version=str(activity.version),
    )
    return {**data, **fields}


def assert_saved(response) -> None:
    """A successful admin save redirects; a form with errors comes back with 200."""
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors]
        errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
        pytest.fail(f"form not saved: {errors}")


# --- Every page renders ---------------------------------------------------------------


def test_registered_models_are_the_expected_ones() -> None:
    registered = {model for model in admin.site._registry if model._meta.app_label == "activities"}
    assert registered == set(FACTORIES)
    # Attendances and links only make sense inside their activity.
    assert Attendance not in admin.site._registry
    assert ActivityLink not in admin.site._registry


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_render(admin_client, model) -> None:
    obj = FACTORIES[model]()

    assert admin_client.get(url(model)).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200


def test_activity_change_page_renders_with_every_inline(admin_client) -> None:
    activity = factories.ActivityFactory(
        partners=[factories.OrganizationFactory()],
        themes=[factories.ThemeFactory()],
        venues=[factories.VenueFactory()],
        department=factories.DepartmentFactory(),
    )
    factories.AttendanceFactory(activity=activity)
    factories.ActivityLinkFactory(activity=activity)
    photo = factories.PhotoFactory(activity=activity)

    response = admin_client.get(url(Activity, "change", activity.pk))

    assert response.status_code == 200
    assert f'src="{photo.thumbnail["url"]}" width="64" height="48"' in response.content.decode()


def test_photo_thumbnail_is_scaled_to_fit(admin_client) -> None:
    photo = factories.PhotoFactory(
        image=SimpleUploadedFile("wide.jpg", factories.jpeg_bytes(640, 480), "image/jpeg")
    )

    response = admin_client.get(url(Photo))

    # The smallest rendition, not the stored image, at the size the row records.
    assert photo.thumbnail["width"] == 320
    assert f'src="{photo.thumbnail["url"]}" width="160" height="120"' in response.content.decode()


# --- Adding and changing an activity ----------------------------------------------------


def test_adding_an_activity_saves_relations_and_inlines(admin_client) -> None:
    partners = factories.OrganizationFactory.create_batch(2)
    theme = factories.ThemeFactory()
    venue = factories.VenueFactory()
    mayor, counterpart = factories.ParticipantFactory.create_batch(2)
    image = SimpleUploadedFile("signing.jpg", factories.jpeg_bytes(), content_type="image/jpeg")

    response = admin_client.post(
        url(Activity, "add"),
        activity_form_data(
            partners=[str(partner.pk) for partner in partners],
            themes=[str(theme.pk)],
            venues=[str(venue.pk)],
            **management_form("attendances", total=1),
            **{
                "attendances-0-participant": str(mayor.pk),
                "attendances-0-title_ja": "さいたま市長",
                "attendances-0-role": Attendance.Role.DELEGATION,
                "attendances-0-order": "1",
            },
            **management_form("photos", total=1),
            **{
                "photos-0-image": image,
                "photos-0-caption_ja": "調印式",
                "photos-0-alt_text_ja": "市長と代表が握手する様子",
                "photos-0-credit": "さいたま市",
                "photos-0-order": "0",
                "photos-0-people": [str(mayor.pk), str(counterpart.pk)],
            },
            **management_form("links", total=1),
            **{
                "links-0-label_ja": "ICLEI",
                "links-0-url": "https://iclei.org/",
                "links-0-order": "0",
            },
        ),
    )

    assert_saved(response)
    activity = Activity.objects.get()
    assert activity.title == "ICLEI 世界大会"
    assert activity.slug == "2020-02-05"
    assert activity.status == Activity.Status.DRAFT
    assert set(activity.partners.all()) == set(partners)
    assert list(activity.themes.all()) == [theme]
    assert list(activity.venues.all()) == [venue]
    attendance = activity.attendances.get()
    assert (attendance.participant, attendance.title) == (mayor, "さいたま市長")
    photo = activity.photos.get()
    assert (photo.width, photo.height) == (64, 48)
    # Stored re-encoded, never as uploaded.
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
    assert set(photo.people.all()) == {mayor, counterpart}
    assert activity.links.get().url == "https://iclei.org/"


def test_change_form_shows_and_replaces_relations(admin_client) -> None:
    kept, dropped, added = factories.OrganizationFactory.create_batch(3)
    theme = factories.ThemeFactory()
    activity = factories.ActivityFactory(draft=True, partners=[kept, dropped], themes=[theme])

    page = admin_client.get(url(Activity, "change", activity.pk)).content.decode()
    assert re.search(rf'<option value="{kept.pk}" selected>', page)
    assert re.search(rf'<option value="{dropped.pk}" selected>', page)
    assert not re.search(rf'<option value="{added.pk}" selected>', page)

    data = change_data(activity, partners=[str(kept.pk), str(added.pk)], themes=[])
    assert_saved(admin_client.post(url(Activity, "change", activity.pk), data))

    assert set(activity.partners.all()) == {kept, added}
    assert not activity.themes.exists()


def test_end_date_before_start_is_a_form_error(admin_client) -> None:
    response = admin_client.post(
        url(Activity, "add"), activity_form_data(start_date="2020-02-05", end_date="2020-02-01")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def test_photo_without_alt_text_must_be_marked_decorative(admin_client) -> None:
    activity = factories.ActivityFactory()
    image = SimpleUploadedFile("p.jpg", factories.jpeg_bytes(), content_type="image/jpeg")

    response = admin_client.post(
        url(Photo, "add"),
        {"activity": str(activity.pk), "image": image, "alt_text_ja": "", "order": "0"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Photo.objects.exists()


def test_organization_cannot_be_placed_under_its_own_division(admin_client) -> None:
    ministry = factories.OrganizationFactory()
    division = factories.OrganizationFactory(parent=ministry)

    response = admin_client.post(
        url(Organization, "change", ministry.pk),
        {
            "name_ja": ministry.name,
            "slug": ministry.slug,
            "kind": ministry.kind,
            "parent": str(division.pk),
            "country": "JP",
        },
    )

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    ministry.refresh_from_db()
    assert ministry.parent is None


# --- Slug -----------------------------------------------------------------------------


def test_draft_slug_can_be_edited(admin_client) -> None:
    activity = factories.ActivityFactory(draft=True, slug="2020-02-05")

    response = admin_client.post(
        url(Activity, "change", activity.pk), change_data(activity, slug="iclei-world-congress")
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.slug == "iclei-world-congress"


@pytest.mark.parametrize("withdrawn", [False, True], ids=["published", "withdrawn"])
def test_slug_of_an_activity_once_published_cannot_change(admin_client, withdrawn) -> None:
    activity = factories.ActivityFactory(slug="2020-02-05")
    if withdrawn:
        activity.withdraw()
        activity.save()

    page = admin_client.get(url(Activity, "change", activity.pk)).content.decode()
    assert 'name="slug"' not in page

    response = admin_client.post(
        url(Activity, "change", activity.pk), change_data(activity, slug="a-new-url")
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.slug == "2020-02-05"


# --- Changelist: filters, search, queries ----------------------------------------------


@pytest.fixture
def archive() -> dict[str, Activity]:
    ministry = factories.OrganizationFactory(
        name="外務省", short_name="MOFA", kind=Organization.Kind.NATIONAL_GOVERNMENT
    )
    division = factories.OrganizationFactory(
        name="気候変動課", kind=Organization.Kind.NATIONAL_GOVERNMENT, parent=ministry
    )
    network = factories.OrganizationFactory(name="ICLEI", short_name="ICLEI")
    theme = factories.ThemeFactory(name="脱炭素")
    return {
        "ministries": factories.ActivityFactory(
            title="外務省との意見交換",
            start_date=datetime.date(2020, 2, 5),
            partners=[ministry, division],
        ),
        "network": factories.ActivityFactory(
            title="ICLEI 世界大会",
            start_date=datetime.date(2019, 6, 20),
            partners=[network],
            themes=[theme],
            draft=True,
        ),
    }


def changelist_titles(client: Client, query: str) -> list[str]:
    response = client.get(f"{ACTIVITIES}?{query}")
    assert response.status_code == 200
    return [activity.title for activity in response.context["cl"].result_list]


@pytest.mark.parametrize(
    "query",
    [
        "status=draft",
        "status=nonsense",
        "year=2019",
        "year=abc",
        "year=99999",
        "year=-1",
        "year=0",
        "year=" + "9" * 5000,
        "year=",
        "kind=meeting",
        "kind=nonsense",
        "themes__id__exact=1",
        "themes__id__exact=abc",
        "partner_kind=national-government",
        "partner_kind=nonsense",
        "partner_kind=",
        "start_date__year=2019",
        "start_date__year=abc",
        "start_date__year=2019&start_date__month=13",
        "q=ICLEI",
        "q=%00",
        "o=99",
        "p=abc",
        "unknown=1",
    ],
)
def test_changelist_never_fails_on_any_filter_value(admin_client, archive, query) -> None:
    response = admin_client.get(f"{ACTIVITIES}?{query}")

    # Django answers a lookup it cannot apply by sending staff back with ?e=1.
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")
        response = admin_client.get(response["Location"])
    assert response.status_code == 200


def test_year_filter_offers_the_years_in_the_archive(admin_client, archive) -> None:
    spec = next(
        spec
        for spec in admin_client.get(ACTIVITIES).context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "year"
    )

    assert [value for value, _label in spec.lookup_choices] == ["2020", "2019"]


def test_year_filter_lists_that_year_and_ignores_junk(admin_client, archive) -> None:
    assert changelist_titles(admin_client, "year=2019") == ["ICLEI 世界大会"]
    assert changelist_titles(admin_client, "year=1999") == []
    assert len(changelist_titles(admin_client, "year=abc")) == 2


def test_partner_kind_filter_lists_each_activity_once(admin_client, archive) -> None:
    # Both of this activity's partners are national government.
    assert changelist_titles(admin_client, "partner_kind=national-government") == [
        "外務省との意見交換"
    ]
    assert len(changelist_titles(admin_client, "partner_kind=nonsense")) == 2


def test_theme_filter(admin_client, archive) -> None:
    theme = Theme.objects.get(name="脱炭素")

    assert changelist_titles(admin_client, f"themes__id__exact={theme.pk}") == ["ICLEI 世界大会"]


@pytest.mark.parametrize(
    ("term", "expected"), [("MOFA", "外務省との意見交換"), ("大会", "ICLEI 世界大会")]
)
def test_search_by_partner_short_name_and_title(admin_client, archive, term, expected) -> None:
    assert changelist_titles(admin_client, f"q={term}") == [expected]


def test_changelist_lists_newest_first(admin_client, archive) -> None:
    assert changelist_titles(admin_client, "") == ["外務省との意見交換", "ICLEI 世界大会"]


def make_rows(model: type, count: int) -> None:
    for _ in range(count):
        obj = FACTORIES[model]()
        if model is Activity:
            obj.partners.set([factories.OrganizationFactory()])
            obj.themes.set([factories.ThemeFactory()])
        if model is Organization:
            obj.parent = factories.OrganizationFactory()
            obj.save()
        if model is Participant:
            obj.organization = factories.OrganizationFactory()
            obj.save()


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda model: model._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model) -> None:
    make_rows(model, 1)
    few = count_queries(admin_client, url(model))
    make_rows(model, 5)
    many = count_queries(admin_client, url(model))

    assert many == few


# --- Publishing -----------------------------------------------------------------------


def post_action(client: Client, action: str, activities: list[Activity]):
    return client.post(
        ACTIVITIES,
        {"action": action, "index": "0", "_selected_action": [str(a.pk) for a in activities]},
    )


def test_publish_action_publishes_drafts(publisher_client) -> None:
    drafts = factories.ActivityFactory.create_batch(2, draft=True)

    response = post_action(publisher_client, "publish", drafts)

    assert response.status_code == 302
    for activity in drafts:
        activity.refresh_from_db()
        assert activity.status == Activity.Status.PUBLISHED
        assert activity.published_at is not None


def test_publish_action_keeps_the_first_publication_date(publisher_client) -> None:
    first = datetime.datetime(2020, 2, 6, 9, 0, tzinfo=datetime.UTC)
    activity = factories.ActivityFactory(draft=True, published_at=first)

    post_action(publisher_client, "publish", [activity])

    activity.refresh_from_db()
    assert activity.is_published
    assert activity.published_at == first


def test_withdraw_action_makes_a_draft(publisher_client) -> None:
    activity = factories.ActivityFactory()

    response = post_action(publisher_client, "withdraw", [activity])

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT


def test_publishing_is_recorded_in_the_history(publisher_client) -> None:
    from django.contrib.admin.models import LogEntry

    activity = factories.ActivityFactory(draft=True)

    post_action(publisher_client, "publish", [activity])

    entry = LogEntry.objects.get(object_id=str(activity.pk))
    assert entry.user.username == "publisher"
    assert entry.is_change()


def test_editor_is_not_offered_publish_actions(editor_client, publisher_client) -> None:
    factories.ActivityFactory(draft=True)

    def actions(client: Client) -> set[str]:
        form = client.get(ACTIVITIES).context["action_form"]
        if form is None:  # no action at all for this user
            return set()
        return {value for value, _label in form.fields["action"].choices}

    assert {"publish", "withdraw"} <= actions(publisher_client)
    assert not {"publish", "withdraw"} & actions(editor_client)


def test_editor_cannot_publish_with_a_forged_action(editor_client) -> None:
    draft = factories.ActivityFactory(draft=True)
    published = factories.ActivityFactory()

    assert post_action(editor_client, "publish", [draft]).status_code in (200, 302)
    assert post_action(editor_client, "withdraw", [published]).status_code in (200, 302)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT
    assert published.status == Activity.Status.PUBLISHED


def test_editor_sees_status_but_cannot_edit_it(editor_client) -> None:
    activity = factories.ActivityFactory(draft=True)

    page = editor_client.get(url(Activity, "change", activity.pk)).content.decode()

    assert 'name="status"' not in page
    assert 'name="published_at_0"' not in page
    assert 'name="title_ja"' in page


def test_editor_cannot_publish_by_forging_the_change_form(editor_client) -> None:
    activity = factories.ActivityFactory(draft=True, title="Before")

    response = editor_client.post(
        url(Activity, "change", activity.pk),
        change_data(
            activity,
            title_ja="After",
            status=Activity.Status.PUBLISHED,
            published_at_0="2020-02-05",
            published_at_1="10:00:00",
        ),
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.title == "After"
    assert activity.status == Activity.Status.DRAFT
    assert activity.published_at is None


def test_editor_cannot_withdraw_by_forging_the_change_form(editor_client) -> None:
    activity = factories.ActivityFactory()

    response = editor_client.post(
        url(Activity, "change", activity.pk),
        change_data(activity, status=Activity.Status.DRAFT),
    )

    # A published activity is not the editor's to change at all (activities/review.py).
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED


def test_editor_cannot_withdraw_a_draft_s_status_from_its_form(editor_client) -> None:
    """On a draft the editor may change, the status still stays as stored."""
    activity = factories.ActivityFactory(draft=True)

    response = editor_client.post(
        url(Activity, "change", activity.pk),
        change_data(activity, status=Activity.Status.PUBLISHED, published_at_0="2020-02-05"),
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT


def test_editor_adds_a_draft_even_when_posting_published(editor_client) -> None:
    response = editor_client.post(
        url(Activity, "add"),
        activity_form_data(
            status=Activity.Status.PUBLISHED, published_at_0="2020-02-05", published_at_1="10:00"
        ),
    )

    assert_saved(response)
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DRAFT
    assert activity.published_at is None


@pytest.mark.parametrize("change", [False, True], ids=["add", "change"])
def test_saving_as_an_editor_never_publishes_whatever_the_form(rf, django_user_model, change):
    # The admin's own form has no status field for an editor; this is the guard behind it.
    editor = django_user_model.objects.create_user(username="editor", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["add_activity", "change_activity"])
    )
    request = rf.post("/")
    request.user = editor
    activity = (
        factories.ActivityFactory(draft=True) if change else factories.ActivityFactory.build()
    )
    activity.publish()

    admin.site.get_model_admin(Activity).save_model(request, activity, form=None, change=change)

    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT
    assert activity.published_at is None


def test_publisher_can_publish_from_the_change_form(publisher_client) -> None:
    activity = factories.ActivityFactory(draft=True)

    response = publisher_client.post(
        url(Activity, "change", activity.pk),
        change_data(activity, status=Activity.Status.PUBLISHED),
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
    assert activity.published_at is not None


def test_view_only_user_sees_relations_without_changing_them(django_user_model) -> None:
    client = staff_client(django_user_model, "reader", ["view_activity"])
    partner = factories.OrganizationFactory(name="ICLEI")
    activity = factories.ActivityFactory(partners=[partner])

    response = client.get(url(Activity, "change", activity.pk))
    assert response.status_code == 200
    assert "ICLEI" in response.content.decode()

    response = client.post(url(Activity, "change", activity.pk), change_data(activity, partners=[]))
    assert response.status_code == 403
    assert list(activity.partners.all()) == [partner]


# --- Autocomplete ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_name", "factory", "term", "attrs"),
    [
        ("partners", factories.OrganizationFactory, "ICLEI", {"name": "ICLEI 日本"}),
        (
            "partners",
            factories.OrganizationFactory,
            "mofa",
            {"name": "外務省", "short_name": "MOFA"},
        ),
        ("themes", factories.ThemeFactory, "脱炭素", {"name": "脱炭素"}),
        ("venues", factories.VenueFactory, "Bonn", {"name": "World Conference Center"}),
    ],
)
def test_autocomplete_finds_related_records(admin_client, field_name, factory, term, attrs) -> None:
    wanted = factory(**attrs)
    other = factory(name="Something else")
    if isinstance(other, Venue):
        other.city = "Tokyo"
        other.save()

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "activities",
            "model_name": "activity",
            "field_name": field_name,
            "term": term,
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(wanted.pk), "text": str(wanted)}]


def test_autocomplete_for_participants_on_attendance(admin_client) -> None:
    mayor = factories.ParticipantFactory(name="清水 勇人")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "activities",
            "model_name": "attendance",
            "field_name": "participant",
            "term": "清水",
        },
    )

    assert response.json()["results"] == [{"id": str(mayor.pk), "text": str(mayor)}]


def test_autocomplete_ignores_a_nul_character(admin_client) -> None:
    partner = factories.OrganizationFactory(name="ICLEI")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "activities",
            "model_name": "activity",
            "field_name": "partners",
            "term": "IC\x00LEI",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(partner.pk), "text": "ICLEI"}]


# --- Deleting what activities use ------------------------------------------------------


def used_organization() -> tuple[Organization, Activity]:
    organization = factories.OrganizationFactory()
    return organization, factories.ActivityFactory(partners=[organization])


def used_theme() -> tuple[Theme, Activity]:
    theme = factories.ThemeFactory()
    return theme, factories.ActivityFactory(themes=[theme])


def used_venue() -> tuple[Venue, Activity]:
    venue = factories.VenueFactory()
    return venue, factories.ActivityFactory(venues=[venue])


def used_participant() -> tuple[Participant, Activity]:
    attendance = factories.AttendanceFactory()
    return attendance.participant, attendance.activity


def used_department() -> tuple[Department, Activity]:
    department = factories.DepartmentFactory()
    return department, factories.ActivityFactory(department=department)


@pytest.mark.parametrize(
    "make", [used_organization, used_theme, used_venue, used_participant, used_department]
)
def test_deleting_a_record_an_activity_uses_is_refused(admin_client, make) -> None:
    obj, activity = make()
    delete_url = url(type(obj), "delete", obj.pk)

    response = admin_client.get(delete_url)
    assert response.status_code == 200
    # The page names the activity that blocks the delete, with a link to it.
    activity_link = f'<a href="{url(Activity, "change", activity.pk)}">{activity.title}</a>'
    assert activity_link in response.content.decode()

    response = admin_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 200
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_deleting_a_used_organization_from_the_list_is_refused(admin_client) -> None:
    organization, _activity = used_organization()
    data = {"action": "delete_selected", "_selected_action": [str(organization.pk)]}

    assert admin_client.post(url(Organization), data).status_code == 200
    response = admin_client.post(url(Organization), {**data, "post": "yes"})

    assert response.status_code == 200
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_deleting_an_organization_with_people_names_them(admin_client) -> None:
    organization = factories.OrganizationFactory()
    person = factories.ParticipantFactory(organization=organization)

    response = admin_client.get(url(Organization, "delete", organization.pk))

    assert response.status_code == 200
    assert url(Participant, "change", person.pk) in response.content.decode()


def test_unused_organization_can_be_deleted(admin_client) -> None:
    organization = factories.OrganizationFactory()

    response = admin_client.post(url(Organization, "delete", organization.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Organization.objects.exists()
