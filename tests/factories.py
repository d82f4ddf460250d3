from __future__ import annotations

import datetime
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from activities import models


def jpeg_bytes(width: int = 64, height: int = 48, color: str = "steelblue") -> bytes:
    """A real JPEG made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Department

    name = factory.Sequence(lambda n: f"未来都市推進部 第{n}係")
    phone = "048-829-1457"
    fax = "048-829-1997"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = models.Organization.Kind.INTERNATIONAL_NETWORK
    country = "DE"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    city = "Bonn"
    country = "DE"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participant

    name = factory.Sequence(lambda n: f"Person {n}")
    title = "Mayor"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Activity {n}")
    slug = factory.Sequence(lambda n: f"activity-{n}")
    kind = models.Activity.Kind.MEETING
    start_date = datetime.date(2019, 10, 30)
    summary = "A short summary."
    body = "First paragraph.\n\nSecond paragraph."
    status = models.Activity.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=models.Activity.Status.DRAFT, published_at=None)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def venues(self, create, extracted, **kwargs):
        if create and extracted:
            self.venues.set(extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attendance

    activity = factory.SubFactory(ActivityFactory)
    participant = factory.SubFactory(ParticipantFactory)
    title = "さいたま市長"
    role = models.Attendance.Role.DELEGATION


class ActivityLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActivityLink

    activity = factory.SubFactory(ActivityFactory)
    label = factory.Sequence(lambda n: f"Link {n}")
    url = factory.Sequence(lambda n: f"https://example.org/{n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Photo

    activity = factory.SubFactory(ActivityFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    caption = factory.Sequence(lambda n: f"Caption {n}")
    alt_text = factory.Sequence(lambda n: f"The mayor shakes hands with a partner ({n})")
