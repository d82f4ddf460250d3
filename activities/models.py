"""The archive's data: activities, the people and partners in them, where they
happened, photos, and the city department that answers questions about them."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import F, Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from activities import images
from activities.slugs import AutoSlugMixin, is_latin, slug_from

SLUG_LABEL = _("URL name (letters and digits)")
SLUG_HELP = _(
    "Leave it blank and one is made when you save: from the name in Latin letters, "
    "else from the reading of the Japanese name. It is in the public page's address and "
    "in filter links, and does not change by itself; changing it breaks links others "
    "have shared."
)


class Department(models.Model):
    """The city's own unit that answers questions about an activity."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    inquiry_url = models.URLField(_("inquiry form URL"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class PublicQuerySet(models.QuerySet):
    """Partners and themes as the public sees them: only through a published
    activity. The one home of that rule; the public lists, pages, feeds and the
    sitemap use it."""

    # The relation from a row of this model to the activities that count for it.
    activities_path = "activities"

    def public(self) -> Self:
        """Those with a published activity, each with ``count``, the number of them."""
        path = self.activities_path
        return self.annotate(
            count=models.Count(path, filter=Q(**{f"{path}__status": "published"}), distinct=True)
        ).filter(count__gt=0)


class OrganizationQuerySet(PublicQuerySet):
    # A partner's activities and its divisions', by the partner filter's rule
    # (activities/facets.py: PARTNER), so that its count is the same everywhere.
    activities_path = "descendant_links__organization__activities"

    def by_kind(self) -> Self:
        """Grouped by kind in the order the kinds are declared (networks first,
        other last), whatever the page's language; by name within a kind."""
        kinds = Organization.Kind.values
        order = models.Case(
            *(models.When(kind=kind, then=models.Value(i)) for i, kind in enumerate(kinds)),
            default=models.Value(len(kinds)),
            output_field=models.IntegerField(),
        )
        return self.order_by(order, "name")


class ThemeQuerySet(PublicQuerySet):
    pass


class Organization(AutoSlugMixin, models.Model):
    """A partner: an international network, a ministry, a city, a company..."""

    class Kind(models.TextChoices):
        INTERNATIONAL_NETWORK = "international-network", _("International network")
        NATIONAL_GOVERNMENT = "national-government", _("National government")
        LOCAL_GOVERNMENT = "local-government", _("Local government")
        EMBASSY = "embassy", _("Embassy or consulate")
        BUSINESS = "business", _("Business or association")
        ACADEMIC = "academic", _("Academic or research")
        NGO = "ngo", _("NGO or NPO")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("For example ICLEI or MOFA.")
    )
    slug = models.SlugField(
        SLUG_LABEL,
        max_length=80,
        unique=True,
        blank=True,
        help_text=SLUG_HELP,
        error_messages={
            "unique": _(
                "Another partner already has this URL name. Type another one, or leave "
                "it blank and one is made."
            )
        },
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For a division: the ministry or network it belongs to."),
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    objects = OrganizationQuerySet.as_manager()
    # Columns django-modeltranslation adds (activities/translation.py), those read here.
    name_ja: str | None
    name_en: str | None
    short_name_ja: str | None
    short_name_en: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="activities_organization_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:organization_detail", kwargs={"slug": self.slug})

    slug_prefix = "partner"

    def slug_base(self) -> str:
        """A short name in Latin letters (ICLEI, MOFA: as the demo's partners have),
        else the English name, else the reading of the Japanese name."""
        length = self.slug_base_length()
        short_names = [self.short_name_en, self.short_name_ja]
        names = [name for name in short_names if is_latin(name)]
        names += [self.name_en, self.name_ja]
        return next((slug for name in names if (slug := slug_from(name, length))), "")


class OrganizationAncestor(models.Model):
    """The parent hierarchy as rows: each organization with each of its ancestors,
    itself included. Filtering by a partner then takes in its divisions, and the
    partner facet counts each activity once per ancestor, in a single query.

    Rebuilt whole whenever an organization is saved (there are hundreds, not
    millions): activities/changes.py.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="ancestor_links"
    )
    ancestor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="descendant_links"
    )

    class Meta:
        verbose_name = _("partner hierarchy row")
        # Kept by the app, never by staff: no permissions to offer in the role forms.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["ancestor", "organization"], name="activities_organizationancestor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} < {self.ancestor_id}"

    @classmethod
    def rebuild(cls, using: str | None = None) -> None:
        """Replace every row, from the organizations as committed now and as this
        transaction changed them. Rebuilds run one at a time: on PostgreSQL a lock
        on the table makes a second wait for the first to commit, then read what it
        wrote (SQLite runs one writing transaction at a time anyway)."""
        db = using or "default"
        connection = connections[db]
        if cls._meta.db_table not in connection.introspection.table_names():
            return  # migrating backwards, or not yet migrated
        with transaction.atomic(using=db):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(cls._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            parents = dict(Organization.objects.using(db).values_list("pk", "parent_id"))
            rows: list[OrganizationAncestor] = []
            for pk in parents:
                seen: set[int] = set()
                current: int | None = pk
                # `seen` stops a loop that bad data might contain.
                while current is not None and current not in seen:
                    seen.add(current)
                    rows.append(cls(organization_id=pk, ancestor_id=current))
                    current = parents.get(current)
            OrganizationAncestor.objects.using(db).all().delete()
            OrganizationAncestor.objects.using(db).bulk_create(rows)


class Theme(AutoSlugMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        SLUG_LABEL,
        max_length=80,
        unique=True,
        blank=True,
        help_text=SLUG_HELP,
        error_messages={
            "unique": _(
                "Another theme already has this URL name. Type another one, or leave it "
                "blank and one is made."
            )
        },
    )
    description = models.TextField(_("description"), blank=True)
    objects = ThemeQuerySet.as_manager()
    # Columns django-modeltranslation adds (activities/translation.py), those read here.
    name_ja: str | None
    name_en: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:theme_detail", kwargs={"slug": self.slug})

    slug_prefix = "theme"

    def slug_base(self) -> str:
        """The English name, else the reading of the Japanese name."""
        length = self.slug_base_length()
        names = [self.name_en, self.name_ja]
        return next((slug for name in names if (slug := slug_from(name, length))), "")


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Columns django-modeltranslation adds (activities/translation.py), those read here.
    name_ja: str | None
    name_en: str | None
    city_ja: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="activities_venue_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        place = "・".join(part for part in (self.country.name, self.city) if part)
        return f"{self.name}（{place}）" if place else self.name


class Participant(models.Model):
    """A person. One record per person, however a page spells the name."""

    name = models.CharField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_("Leave blank when the record names only the position."),
    )
    title = models.CharField(
        _("current title"),
        max_length=200,
        blank=True,
        help_text=_("Today's title; the title at the time of an activity is kept there."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    # Columns django-modeltranslation adds (activities/translation.py), those read here.
    name_ja: str | None
    name_en: str | None
    title_ja: str | None

    class Meta:
        ordering = ["name", "title"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # Japanese is the source language: the Japanese columns must say who it is.
            models.CheckConstraint(
                # NULL must fail too: a CHECK passes when its condition is unknown.
                condition=Q(name_ja__isnull=False, name_ja__gt="")
                | Q(title_ja__isnull=False, title_ja__gt=""),
                name="activities_participant_name_or_title",
                violation_error_message=_("Give the person's name, their title, or both."),
            ),
        ]

    def __str__(self) -> str:
        if self.name and self.title:
            return f"{self.name}（{self.title}）"
        return self.name or self.title


class ActivityQuerySet(models.QuerySet):
    def published(self) -> ActivityQuerySet:
        """What the public may see. Every public view starts here."""
        return self.filter(status=Activity.Status.PUBLISHED)

    def visible_to(self, user) -> ActivityQuerySet:
        """Drafts too for staff who may review activities (the preview)."""
        if user.is_active and user.is_staff and user.has_perm("activities.view_activity"):
            return self.all()
        return self.published()

    def for_cards(self) -> ActivityQuerySet:
        """The columns an activity card shows. Its venues and partners come with
        the card (activities/fragments.py): from the cache, or in two prefetch
        queries for all the cards of a list that are not cached."""
        return self.only(
            "pk", "slug", "title", "kind", "start_date", "end_date", "summary", "status"
        )


class Activity(AutoSlugMixin, models.Model):
    class Kind(models.TextChoices):
        VISIT_ABROAD = "visit-abroad", _("Visit abroad")
        COURTESY_CALL = "courtesy-call", _("Courtesy call received")
        MEETING = "meeting", _("Meeting")
        CONFERENCE = "conference", _("Conference")
        AGREEMENT = "agreement", _("Agreement signed")
        MEMBERSHIP = "membership", _("Membership")
        REQUEST = "request", _("Request or proposal")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        SLUG_LABEL,
        max_length=100,
        unique=True,
        blank=True,
        help_text=_(
            "The public URL. Left blank, it is made from the start date. "
            "It does not change when the title is edited, and is fixed once published."
        ),
        error_messages={
            "unique": _(
                "Another activity already has this URL name. Type another one, or leave "
                "it blank and one is made."
            )
        },
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Only for activities over several days.")
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in the archive.")
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Plain text; a blank line starts a new paragraph.")
    )
    venues: models.ManyToManyField[Venue, ActivityVenue] = models.ManyToManyField(
        Venue, verbose_name=_("venues"), through="ActivityVenue", blank=True, related_name="+"
    )
    partners: models.ManyToManyField[Organization, ActivityPartner] = models.ManyToManyField(
        Organization,
        verbose_name=_("partner organizations"),
        through="ActivityPartner",
        blank=True,
        related_name="activities",
    )
    themes: models.ManyToManyField[Theme, ActivityTheme] = models.ManyToManyField(
        Theme,
        verbose_name=_("themes"),
        through="ActivityTheme",
        blank=True,
        related_name="activities",
    )
    participants: models.ManyToManyField[Participant, Attendance] = models.ManyToManyField(
        Participant,
        verbose_name=_("people"),
        through="Attendance",
        blank=True,
        related_name="activities",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("contact department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Tokens of the texts and names that search finds this activity by; kept up to
    # date by activities/changes.py, indexed by the database (activities/search.py).
    search_document = models.TextField(editable=False, blank=True, default="")
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # 公開予約: a draft with a go-live time is published by ``manage.py
    # publish_scheduled`` once that time has come, and not before: until then it is
    # a draft like any other, on every public page, count, search and cache. A
    # published activity with a withdrawal time is withdrawn by the same command.
    publish_at = models.DateTimeField(
        _("scheduled publication"),
        null=True,
        blank=True,
        help_text=_("Leave the status “Draft”: it is published at this time."),
    )
    withdraw_at = models.DateTimeField(
        _("scheduled withdrawal"),
        null=True,
        blank=True,
        help_text=_("Optional: it becomes a draft again at this time."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # Optimistic locking: every staff save and publish/withdraw adds one, and a save
    # from a form opened at an older version is refused (see ActivityAdmin).
    version = models.PositiveIntegerField(_("version"), default=1)
    # A proposed change (変更案) to a published activity: a draft copy of it, edited
    # by staff who may not publish, that replaces the public one's content once a
    # Publisher approves it (activities/review.py). Never public itself (the
    # constraint below): it is a draft.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="replacement",
    )
    # The public activity's version the copy was made from: approving it after the
    # public one changed again would undo that change, and is refused.
    replaces_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ActivityQuerySet.as_manager()
    # Columns django-modeltranslation adds (activities/translation.py), those read here.
    title_ja: str | None
    title_en: str | None

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [("publish_activity", _("Can publish and withdraw activities"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activities_activity_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="activities_activity_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | Q(status="draft"),
                name="activities_activity_replacement_is_draft",
            ),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(withdraw_at__isnull=True)
                | Q(withdraw_at__gt=F("publish_at")),
                name="activities_activity_withdrawn_after_published",
                violation_error_message=_(
                    "The scheduled withdrawal must come after the scheduled publication."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-start_date"], name="activities_status_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", kwargs={"slug": self.slug})

    @property
    def page_number(self) -> str:
        """A stable reference for phone inquiries: it never changes, whatever is edited."""
        return f"A{self.pk:06d}"

    def lacks_english(self) -> bool:
        """Some of the text exists only in Japanese (the source language)."""
        return any(
            getattr(self, f"{name}_ja", None) and not getattr(self, f"{name}_en", None)
            for name in ("title", "summary", "body")
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def start_month(self) -> datetime.date:
        """The first of the start month: the archive's section an activity goes in."""
        return self.start_date.replace(day=1)

    slug_prefix = "activity"

    def slug_base(self) -> str:
        """The start date: 2021-11-01 (then 2021-11-01-2... for others that day)."""
        start = self.start_date
        if isinstance(start, str):
            start = datetime.date.fromisoformat(start)
        return start.isoformat()

    def publish(self) -> None:
        """Public now: a publication scheduled for later is done with."""
        self.status = self.Status.PUBLISHED
        self.publish_at = None
        if self.published_at is None:
            self.published_at = timezone.now()

    def withdraw(self) -> None:
        """A draft again: a withdrawal scheduled for later is done with."""
        self.status = self.Status.DRAFT
        self.withdraw_at = None


class SearchEntry(models.Model):
    """An activity's row in SQLite's full-text index: the FTS5 table that migration
    0011 makes over ``search_document``. A model so that a search joins it as the
    ORM joins any table, and reads the match and its bm25 rank in one pass
    (activities/search.py). SQLite only; the table is the migration's, not Django's.
    """

    activity = models.OneToOneField(
        Activity,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="search_entry",
    )
    search_document = models.TextField()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "activities_activity_fts"
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.pk)


class ActivityVenue(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE)
    # PROTECT: deleting a venue must not silently erase where an activity happened.
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "venue"], name="activities_activityvenue_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.venue)


class ActivityPartner(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization, verbose_name=_("partner organization"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organization"], name="activities_activitypartner_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class ActivityTheme(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "theme"], name="activities_activitytheme_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.theme)


class Attendance(models.Model):
    """A person at an activity, with the title they held *at the time*."""

    class Role(models.TextChoices):
        DELEGATION = "delegation", _("City delegation")
        COUNTERPART = "counterpart", _("Counterpart")
        SPEAKER = "speaker", _("Speaker")
        VISITOR = "visitor", _("Visitor")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    title = models.CharField(
        _("title at the time"),
        max_length=200,
        blank=True,
        help_text=_("As held on the day, e.g. the mayor's title in 2013."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A column django-modeltranslation adds (activities/translation.py).
    title_ja: str | None

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="activities_attendance_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_role_display()}"

    @property
    def display_title(self) -> str:
        return self.title or self.participant.title

    @property
    def is_delegation(self) -> bool:
        return self.role == self.Role.DELEGATION


class ActivityLink(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="links"
    )
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Columns django-modeltranslation adds (activities/translation.py), those read here.
    label_ja: str | None

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.label


def photo_upload_to(photo: Photo, filename: str) -> str:
    today = timezone.localdate()
    return f"photos/{today:%Y/%m}/{filename}"


class PhotoQuerySet(models.QuerySet):
    def with_people_pictured(self) -> list[Photo]:
        """The photos, each with ``people_pictured``, in one query in all.

        The people come joined to their photo rather than from a second query: a
        photo with three people pictured arrives as three rows, folded back into
        one here. Evaluates the queryset.
        """
        columns = ("pk", "name_ja", "name_en", "title_ja", "title_en")
        rows = self.annotate(**{f"pictured_{c}": F(f"people__{c}") for c in columns})
        photos: dict[int, Photo] = {}
        for row in rows:
            photo = photos.setdefault(row.pk, row)
            if photo is row:
                photo.people_pictured = []
            if row.pictured_pk is not None:
                person = Participant(**{c: getattr(row, f"pictured_{c}") for c in columns})
                photo.people_pictured.append(person)
        return list(photos.values())


class Photo(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    # Checked, cleaned and made into renditions on its way to storage: activities/images.py.
    image = images.PhotoImageField(_("image"), upload_to=photo_upload_to)
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    # [{"width": 320, "height": 213, "webp": name, "jpeg": name}, ...], narrowest first:
    # on the row, so a page lists every size of every photo without another query.
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        validators=[images.validate_alt_text],
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    is_decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Tick only when the photo adds nothing the text does not say."),
    )
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    people = models.ManyToManyField(
        Participant, verbose_name=_("people pictured"), blank=True, related_name="photos"
    )
    # Optimistic locking, as on Activity: a save on the photo's own page or in the
    # photo list from an older version is refused (activities/locking.py).
    version = models.PositiveIntegerField(_("version"), default=1)
    # On a proposed change's copy of a photo: the public activity's photo it was
    # copied from, which approval updates (activities/review.py). The two share
    # their files until one of them is given another image.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = PhotoQuerySet.as_manager()
    # Set by PhotoQuerySet.with_people_pictured.
    people_pictured: list[Participant]

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=Q(alt_text_ja__isnull=False, alt_text_ja__gt="") | Q(is_decorative=True),
                name="activities_photo_alt_text_or_decorative",
                violation_error_message=_(
                    "Describe the photo in the alt text, or mark it as decorative."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.caption or self.alt_text or self.image.name

    def save(self, *args, **kwargs) -> None:
        if self.image and not self.image._committed:
            # Check a new file before the database is touched: an error inside the
            # save would leave the caller's transaction unusable.
            images.prepare(self.image.file, self.image.name)
        stored = getattr(self, "_stored_files", None)
        if stored is None:
            stored = set(self._files_in_database()) if self.pk else set()
        super().save(*args, **kwargs)
        # Files replaced by this save: the old image and its renditions, and any
        # file written for this instance and replaced again before it was saved.
        current = set(self.file_names())
        stale = (stored | self.__dict__.pop("_photo_files_written", set())) - current
        if stale:
            transaction.on_commit(
                partial(delete_unused_files, self.image.storage, sorted(stale)),
                using=kwargs.get("using"),
                robust=True,
            )
        self._stored_files = current

    @classmethod
    def from_db(cls, db, field_names, values) -> Photo:
        photo = super().from_db(db, field_names, values)
        # What is in storage for this row, to delete once the row points elsewhere.
        if {"image", "renditions"} <= set(photo.__dict__):
            photo._stored_files = set(photo.file_names())
        return photo

    def clean(self) -> None:
        super().clean()
        for lang in ("ja", "en"):
            caption, alt_text = getattr(self, f"caption_{lang}"), getattr(self, f"alt_text_{lang}")
            if alt_text and caption and " ".join(alt_text.split()) == " ".join(caption.split()):
                raise ValidationError(
                    _(
                        "The alt text repeats the caption. Describe what the photo shows; "
                        "the caption is read out as well."
                    ),
                    code="alt_text_is_caption",
                )

    def _files_in_database(self) -> list[str]:
        row = Photo.objects.filter(pk=self.pk).values_list("image", "renditions").first()
        return self._names(*row) if row else []

    def file_names(self) -> list[str]:
        """Every file of this photo in storage: the image and its renditions."""
        return self._names(self.image.name, self.renditions)

    @staticmethod
    def _names(image: str | None, renditions: list[dict]) -> list[str]:
        names = [image] if image else []
        for rendition in renditions or []:
            names += [rendition["webp"], rendition["jpeg"]]
        return names

    # What templates show. Rows saved before renditions existed show the image.

    def srcset(self, kind: str) -> str:
        url = self.image.storage.url
        return ", ".join(f"{url(r[kind])} {r['width']}w" for r in self.renditions)

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def src(self) -> str:
        """The plain ``src``: the rendition nearest 960 pixels wide, in JPEG."""
        if not self.renditions:
            return self.image.url
        fitting = [r for r in self.renditions if r["width"] <= 960] or self.renditions[:1]
        return self.image.storage.url(fitting[-1]["jpeg"])

    @property
    def large(self) -> dict:
        """The largest rendition in JPEG, for the enlarged view: url, width, height."""
        return self._rendition(-1)

    @property
    def thumbnail(self) -> dict:
        """The smallest rendition in JPEG: url, width, height."""
        return self._rendition(0)

    def _rendition(self, index: int) -> dict:
        if not self.renditions:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        rendition = self.renditions[index]
        return {
            "url": self.image.storage.url(rendition["jpeg"]),
            "width": rendition["width"],
            "height": rendition["height"],
        }


@receiver(pre_delete, sender=Photo)
def delete_photo_files(sender: type[Photo], instance: Photo, using: str, **kwargs) -> None:
    """A deleted photo's files go once the deletion is committed, and not before:
    a rolled-back deletion keeps them. Runs for cascades and bulk deletes too."""
    names = instance.file_names()
    if names:
        transaction.on_commit(
            partial(delete_unused_files, instance.image.storage, names), using=using, robust=True
        )


def delete_unused_files(storage, names: list[str]) -> None:
    """Delete a photo's stored files, except those another photo row still uses:
    a proposed change's copy of a photo shares its files with the public photo."""
    names = list(names)
    used = set()
    for image, renditions in Photo.objects.filter(image__in=names).values_list(
        "image", "renditions"
    ):
        used.update(Photo._names(image, renditions))
    images.delete_files(storage, [name for name in names if name not in used])


class ReviewRequest(models.Model):
    """A request for review (承認依頼): a draft to publish, or a proposed change to a
    published activity to approve. Open until a Publisher approves it or sends it
    back with a reply, which its author reads on the activity's form."""

    class Decision(models.TextChoices):
        OPEN = "", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Sent back")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reviews"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.OPEN, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(decision=""),
                name="activities_reviewrequest_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}（{self.get_decision_display()}）"

    @property
    def is_open(self) -> bool:
        return self.decision == self.Decision.OPEN


class StaffPreference(models.Model):
    """What a member of staff chose for themselves: whether review mails reach
    them (activities/review.py). No row: the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_preference",
        verbose_name=_("user"),
    )
    review_mail = models.BooleanField(
        _("e-mail me about reviews"),
        default=True,
        help_text=_(
            "Publishers: when a review is requested. Everyone: when a request of "
            "yours is sent back."
        ),
    )

    class Meta:
        verbose_name = _("staff preference")
        verbose_name_plural = _("staff preferences")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.user)


class CacheGeneration(models.Model):
    """Which state of the archive a shared cache (Redis) holds pages for: one
    row, whose token is replaced after every committed change
    (activities/cache.py). Kept in the database rather than in the cache, so
    that a cache that was unreachable while the archive changed cannot serve
    what it held from before. Not archive data: backups leave it out."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("cache generation")
        # Kept by the app, never by staff: no permissions to offer in the role forms.
        default_permissions = ()

    def __str__(self) -> str:
        return self.token
