from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from activities.models import Activity, Attendance
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    DepartmentFactory,
    OrganizationFactory,
    ParticipantFactory,
    PhotoFactory,
    ThemeFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def test_end_date_before_start_is_refused_by_the_database():
    activity = ActivityFactory(start_date=datetime.date(2018, 10, 22))
    activity.end_date = datetime.date(2018, 10, 21)
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_end_date_before_start_is_a_validation_error_with_a_clear_message():
    activity = ActivityFactory.build(
        start_date=datetime.date(2018, 10, 22), end_date=datetime.date(2018, 10, 21)
    )
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert "終了日を開始日より前にすることはできません。" in str(excinfo.value)


def test_one_attendance_per_person_per_activity():
    attendance = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            activity=attendance.activity,
            participant=attendance.participant,
            role=Attendance.Role.COUNTERPART,
        )


def test_slugs_are_unique():
    ActivityFactory(slug="2018-10-23-iclei")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(slug="2018-10-23-iclei")


def test_blank_slug_is_made_from_the_start_date_and_kept_unique():
    first = ActivityFactory(slug="", start_date=datetime.date(2020, 2, 28))
    second = ActivityFactory(slug="", start_date=datetime.date(2020, 2, 28))
    assert first.slug == "2020-02-28"
    assert second.slug == "2020-02-28-2"


def test_slug_does_not_change_when_the_title_is_edited():
    activity = ActivityFactory(slug="", title="外務省気候変動課への訪問")
    url = activity.get_absolute_url()
    activity.title = "外務省 気候変動課への訪問（更新）"
    activity.save()
    activity.refresh_from_db()
    assert activity.get_absolute_url() == url


def test_publishing_sets_published_at_once():
    activity = ActivityFactory(draft=True)
    assert activity.published_at is None
    activity.publish()
    activity.save()
    first = activity.published_at
    assert first is not None
    activity.withdraw()
    activity.save()
    activity.publish()
    activity.save()
    assert activity.published_at == first


def test_a_published_activity_without_a_publication_date_is_refused():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(published_at=None)


def test_published_excludes_drafts():
    published = ActivityFactory()
    ActivityFactory(draft=True)
    assert list(Activity.objects.published()) == [published]


def test_default_manager_is_unfiltered():
    ActivityFactory()
    ActivityFactory(draft=True)
    assert Activity.objects.count() == 2


@pytest.mark.parametrize(
    ("make_used", "delete"),
    [
        (lambda a: a.partners.add(OrganizationFactory()), lambda a: a.partners.get().delete()),
        (lambda a: a.themes.add(ThemeFactory()), lambda a: a.themes.get().delete()),
        (lambda a: a.venues.add(VenueFactory()), lambda a: a.venues.get().delete()),
        (
            lambda a: AttendanceFactory(activity=a),
            lambda a: a.participants.get().delete(),
        ),
        (
            lambda a: Activity.objects.filter(pk=a.pk).update(department=DepartmentFactory()),
            lambda a: Activity.objects.get(pk=a.pk).department.delete(),
        ),
    ],
    ids=["organization", "theme", "venue", "participant", "department"],
)
def test_deleting_what_an_activity_uses_is_refused(make_used, delete):
    activity = ActivityFactory()
    make_used(activity)
    with pytest.raises(ProtectedError):
        delete(activity)
    activity.refresh_from_db()


def test_deleting_a_parent_organization_with_divisions_is_refused():
    ministry = OrganizationFactory(slug="mofa")
    OrganizationFactory(slug="mofa-climate", parent=ministry)
    with pytest.raises(ProtectedError):
        ministry.delete()


def test_organization_cannot_be_its_own_parent():
    org = OrganizationFactory()
    org.parent = org
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()


def test_photo_needs_alt_text_unless_decorative():
    photo = PhotoFactory.build(activity=ActivityFactory(), alt_text="")
    with pytest.raises(ValidationError) as excinfo:
        photo.full_clean()
    assert "代替テキストで写真を説明するか、「装飾のみ」にチェックしてください。" in str(
        excinfo.value
    )
    photo.is_decorative = True
    photo.full_clean()


def test_photo_records_its_real_pixel_size():
    photo = PhotoFactory()
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (64, 48)


def test_person_needs_a_name_or_a_title():
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(name="", title="")
    assert str(ParticipantFactory(name="", title="外務省気候変動課長")) == "外務省気候変動課長"
