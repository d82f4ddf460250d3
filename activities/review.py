"""Review before anything goes public: proposed changes (変更案) and requests for
review (承認依頼).

Who may see what: staff without the publish right cannot change a published
activity (ActivityAdmin.has_change_permission). They change a copy of it instead,
a proposed change: a draft with ``replaces`` set, which the database keeps a
draft (a check constraint), so the public never sees it. Its author and the
Publishers preview it on the public page, as any draft. Once a Publisher
approves it, its content replaces the published activity's in one transaction
and the copy is deleted; the published activity keeps its URL, its photos' ids
and its first publication date.
"""

from __future__ import annotations

import difflib
import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import cast

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Field, FileField, Model, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from reversion.models import Version

from activities.locking import EditConflict, shown_value
from activities.models import (
    Activity,
    ActivityLink,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Attendance,
    Department,
    Organization,
    Participant,
    Photo,
    ReviewRequest,
    StaffPreference,
    Theme,
    Venue,
)

logger = logging.getLogger(__name__)

# The activity's own columns a proposed change carries, both languages of those
# translated. The slug, status and publication date stay the published activity's.
TRANSLATED = ("title", "summary", "body")
COLUMNS = (
    *(f"{name}_{lang}" for name in TRANSLATED for lang in ("ja", "en")),
    "kind",
    "start_date",
    "end_date",
    "department",
)
RELATIONS = ("partners", "themes", "venues")
ATTENDANCE_COLUMNS = ("participant", "title_ja", "title_en", "role", "order")
LINK_COLUMNS = ("label_ja", "label_en", "url", "order")
PHOTO_COLUMNS = (
    "image",
    "width",
    "height",
    "renditions",
    "caption_ja",
    "caption_en",
    "alt_text_ja",
    "alt_text_en",
    "is_decorative",
    "credit_ja",
    "credit_en",
    "order",
)


class ReviewError(Exception):
    """What cannot be done, in words for staff."""


def may_publish(user) -> bool:
    """Whether ``user`` may publish, change what is public and withdraw: a Publisher
    (the ``publish_activity`` permission; a superuser has every permission). The one
    home of that rule: the admin's forms, review and the import ask it."""
    return user.has_perm("activities.publish_activity")


def needs_review(user, activity: Activity | None) -> bool:
    """Whether ``user``'s changes to ``activity`` must wait for a Publisher: it is
    public (as stored when its page was opened) and they may not publish. The one
    home of that rule; the admin asks it for the activity's form, its people,
    photos and links, and the photo pages."""
    if activity is None:
        return False
    status = getattr(activity, "stored_status", activity.status)
    return status == Activity.Status.PUBLISHED and not may_publish(user)


def is_replacement(activity: Activity) -> bool:
    return activity.replaces_id is not None


def open_request(activity: Activity) -> ReviewRequest | None:
    return activity.reviews.filter(decision=ReviewRequest.Decision.OPEN).first()


def last_reply(activity: Activity) -> ReviewRequest | None:
    """The latest request sent back, unless a newer request is open or approved."""
    latest = activity.reviews.first()
    if latest is not None and latest.decision == ReviewRequest.Decision.RETURNED:
        return latest
    return None


def _attname(model: type[Model], name: str) -> str:
    return cast("Field", model._meta.get_field(name)).attname


def _copy(source: Model, target: Model, columns) -> None:
    for name in columns:
        attname = _attname(type(source), name)
        setattr(target, attname, getattr(source, attname))


def _replacement_slug(live: Activity) -> str:
    return f"{live.slug[:88]}-henkouan"


@transaction.atomic
def start_replacement(live: Activity) -> Activity:
    """The proposed change of a published activity: the one already started, or
    a new draft copy of it with its people, photos (sharing their files), links,
    partners, themes and venues."""
    live = Activity.objects.select_for_update().get(pk=live.pk)
    existing = Activity.objects.filter(replaces=live).first()
    if existing is not None:
        return existing
    if not live.is_published:
        raise ReviewError(_("Only a published activity needs a proposed change."))
    copy = Activity(
        replaces=live,
        replaces_version=live.version,
        status=Activity.Status.DRAFT,
        slug=_replacement_slug(live),
    )
    _copy(live, copy, COLUMNS)
    copy.save()
    for relation in RELATIONS:
        getattr(copy, relation).set(getattr(live, relation).all())
    for attendance in live.attendances.all():
        new = Attendance(activity=copy)
        _copy(attendance, new, ATTENDANCE_COLUMNS)
        new.save()
    for link in live.links.all():
        new_link = ActivityLink(activity=copy)
        _copy(link, new_link, LINK_COLUMNS)
        new_link.save()
    for photo in live.photos.prefetch_related("people"):
        new_photo = Photo(activity=copy, origin=photo)
        _copy(photo, new_photo, PHOTO_COLUMNS)
        new_photo.save()
        new_photo.people.set(photo.people.all())
    return copy


@transaction.atomic
def apply_replacement(copy: Activity) -> Activity:
    """The proposed change's content becomes the published activity's, and the
    copy is deleted. Refused if the published activity changed since the copy
    was made: approving would undo that change."""
    if copy.replaces_id is None:
        raise ReviewError(_("Only a proposed change replaces a public activity."))
    live = Activity.objects.select_for_update().get(pk=copy.replaces_id)
    if live.version != copy.replaces_version:
        raise EditConflict(
            f"Activity {live.pk} changed since its proposed change {copy.pk} was made"
        )
    _copy(copy, live, COLUMNS)
    # Held by select_for_update: a plain number, which the saved version records.
    live.version += 1
    live.save()
    for relation in RELATIONS:
        getattr(live, relation).set(getattr(copy, relation).all())

    live.attendances.all().delete()
    copy.attendances.update(activity=live)
    live.links.all().delete()
    copy.links.update(activity=live)

    kept = set()
    for photo in copy.photos.prefetch_related("people"):
        original = photo.origin
        if original is not None and original.activity_id == live.pk:
            _copy(photo, original, PHOTO_COLUMNS)
            original.version += 1
            original.save()
            original.people.set(photo.people.all())
            kept.add(original.pk)
        else:
            # Added in the proposed change: it moves to the published activity.
            Photo.objects.filter(pk=photo.pk).update(activity=live, origin=None)
            kept.add(photo.pk)
    for photo in live.photos.exclude(pk__in=kept):
        photo.delete()
    # What a request for review said stays with the published activity.
    copy.reviews.update(activity=live)
    copy.delete()
    return live


@transaction.atomic
def request_review(activity: Activity, user, comment: str = "") -> ReviewRequest:
    """Ask the Publishers to publish a draft or approve a proposed change."""
    if activity.is_published:
        raise ReviewError(_("This activity is already public."))
    if open_request(activity) is not None:
        raise ReviewError(_("A review of this activity has already been requested."))
    request = ReviewRequest.objects.create(activity=activity, requested_by=user, comment=comment)
    transaction.on_commit(lambda: notify_publishers(request))
    return request


@transaction.atomic
def approve(review: ReviewRequest, user, reply: str = "") -> Activity:
    """The draft is published, or the proposed change replaces the published
    activity's content."""
    review = ReviewRequest.objects.select_for_update().get(pk=review.pk)
    if not review.is_open:
        raise ReviewError(_("This request has already been decided."))
    activity = review.activity
    comment = _("Approved the request of %(who)s.") % {"who": review.requested_by or "-"}
    if review.comment:
        comment = f"{comment} {review.comment}"
    with saved_version(user, comment):
        if is_replacement(activity):
            activity = apply_replacement(activity)
            review.refresh_from_db()
        else:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            activity.publish()
            activity.version += 1
            activity.save()
    _decide(review, user, ReviewRequest.Decision.APPROVED, reply)
    return activity


@transaction.atomic
def send_back(review: ReviewRequest, user, reply: str) -> None:
    """Back to its author, with the reason: nothing goes public."""
    review = ReviewRequest.objects.select_for_update().get(pk=review.pk)
    if not review.is_open:
        raise ReviewError(_("This request has already been decided."))
    if not reply.strip():
        raise ReviewError(_("Say what should change, so that its author knows."))
    _decide(review, user, ReviewRequest.Decision.RETURNED, reply)
    transaction.on_commit(lambda: notify_author(review))


def _decide(review: ReviewRequest, user, decision: str, reply: str) -> None:
    review.decision, review.decided_by, review.decided_at = decision, user, timezone.now()
    review.reply = reply
    review.save()


def open_requests():
    """What waits for a Publisher (承認待ち), oldest first."""
    return (
        ReviewRequest.objects.filter(decision=ReviewRequest.Decision.OPEN)
        .select_related("activity", "activity__replaces", "requested_by")
        .order_by("requested_at", "pk")
    )


# -- history (django-reversion) ---------------------------------------------------

# What an activity's saved version holds beside its own row: its people, links,
# photos and the rows that link it to partners, themes and venues.
HISTORY_FOLLOW = (
    "attendances",
    "links",
    "photos",
    "activitypartner_set",
    "activitytheme_set",
    "activityvenue_set",
)


def register_history() -> None:
    """Every save of an activity inside ``saved_version`` keeps a version of it
    with its parts (called once, when the app is ready)."""
    for model in (Attendance, ActivityLink, Photo, ActivityPartner, ActivityTheme, ActivityVenue):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Activity):
        reversion.register(Activity, follow=HISTORY_FOLLOW, exclude=("search_document",))


class _Discarded(Exception):
    def __init__(self, result) -> None:
        self.result = result


@contextmanager
def saved_version(user=None, comment: object = ""):
    """A version of each activity saved inside, with who saved it and why; in
    one transaction with the save. ``keep_version`` below decides, for an admin
    form, whether anything was saved."""
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        # Kept as text: a command's comment in the site's language, staff's in theirs.
        with override(settings.LANGUAGE_CODE) if user is None else nullcontext():
            reversion.set_comment(str(comment))
        yield


def keep_version_of(view, *args, **kwargs):
    """Run an admin view inside ``saved_version``: a form that comes back with
    errors (anything but a redirect) saves no version."""
    request = args[0]
    try:
        with saved_version(request.user):
            response = view(*args, **kwargs)
            if response.status_code != 302:
                raise _Discarded(response)
            return response
    except _Discarded as discarded:
        return discarded.result


def set_comment(comment: str) -> None:
    if reversion.is_active():
        reversion.set_comment(comment)


def add_to_version(activity: Activity) -> None:
    """A change made to an activity's part elsewhere (a photo's own page) is a
    version of the activity too."""
    if reversion.is_active():
        reversion.add_to_revision(activity)


def history(activity: Activity) -> list[Version]:
    """The activity's saved versions, newest first, with who saved them."""
    return list(
        Version.objects.get_for_object(activity)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


# Each relation of RELATIONS as a saved version holds it: its through model, the
# column naming the related row, and the related model.
VERSIONED_RELATIONS: dict[str, tuple[type[Model], str, type[Model]]] = {
    "partners": (ActivityPartner, "organization_id", Organization),
    "themes": (ActivityTheme, "theme_id", Theme),
    "venues": (ActivityVenue, "venue_id", Venue),
}


def parts_of(version: Version) -> dict[type[Model], list[dict]]:
    """The rows saved with a version of an activity (its people, links, photos
    and relations), by model, each a dict of its fields and ``pk``."""
    activity_pk = int(version.object_id)
    rows: dict[type[Model], list[dict]] = {}
    for part in version.revision.version_set.all():
        model = part._model
        if model is None or model is Activity:
            continue
        fields = part.field_dict
        if fields.get("activity_id") == activity_pk:
            rows.setdefault(model, []).append({"pk": int(part.object_id), **fields})
    return rows


def restore(activity: Activity, version: Version, user) -> tuple[Activity, list[str]]:
    """An earlier version's content back: onto the activity itself for someone
    who may change it directly, else onto its proposed change (made if need
    be), which waits for a Publisher. Its status, URL and publication dates stay
    as they are now. Returns the activity written and what could not be restored
    (a photo whose file was deleted since)."""
    if str(version.object_id) != str(activity.pk) or version._model is not Activity:
        raise ReviewError(_("That version is not one of this activity's."))
    with transaction.atomic():
        if needs_review(user, activity):
            target = start_replacement(activity)
        else:
            target = Activity.objects.select_for_update().get(pk=activity.pk)
        when = formats.date_format(
            timezone.localtime(version.revision.date_created), "SHORT_DATETIME_FORMAT"
        )
        with saved_version(user, _("Restored the version of %(when)s.") % {"when": when}):
            missing = _apply_version(target, version)
    return target, missing


def _apply_version(target: Activity, version: Version) -> list[str]:
    fields = version.field_dict
    for name in COLUMNS:
        attname = _attname(Activity, name)
        setattr(target, attname, fields.get(attname))
    if target.department_id and not Department.objects.filter(pk=target.department_id).exists():
        target.department_id = None
    target.version += 1
    target.save()

    rows = parts_of(version)
    for relation, (through, key, related) in VERSIONED_RELATIONS.items():
        wanted = [r[key] for r in rows.get(through, [])]
        getattr(target, relation).set(related._default_manager.filter(pk__in=wanted))

    target.attendances.all().delete()
    existing_people = set(
        Participant.objects.filter(
            pk__in=[r["participant_id"] for r in rows.get(Attendance, [])]
        ).values_list("pk", flat=True)
    )
    for row in rows.get(Attendance, []):
        if row["participant_id"] in existing_people:
            attendance = Attendance(activity=target)
            for name in ATTENDANCE_COLUMNS:
                attname = _attname(Attendance, name)
                setattr(attendance, attname, row.get(attname))
            attendance.save()
    target.links.all().delete()
    for row in rows.get(ActivityLink, []):
        link = ActivityLink(activity=target)
        for name in LINK_COLUMNS:
            setattr(link, name, row.get(name))
        link.save()

    missing: list[str] = []
    kept: set[int] = set()
    storage = cast("FileField", Photo._meta.get_field("image")).storage
    is_copy = target.replaces_id is not None
    for row in rows.get(Photo, []):
        lookup = {"origin_id": row["pk"]} if is_copy else {"pk": row["pk"]}
        photo = target.photos.filter(**lookup).first()
        image = getattr(row.get("image"), "name", row.get("image"))
        image_there = bool(image) and storage.exists(str(image))
        if photo is None:
            if not image_there:
                missing.append(row.get("caption_ja") or image or "?")
                continue
            photo = Photo(activity=target)
        for name in PHOTO_COLUMNS:
            if name in ("image", "width", "height", "renditions") and not image_there:
                continue
            setattr(photo, name, row.get(name))
        if photo.pk is not None:
            photo.version += 1
        photo.save()
        photo.people.set(Participant.objects.filter(pk__in=row.get("people", [])))
        kept.add(photo.pk)
    for photo in target.photos.exclude(pk__in=kept):
        photo.delete()
    return missing


# -- scheduled publication (公開予約) ------------------------------------------------


def carry_out_schedule(now=None) -> tuple[list[Activity], list[Activity]]:
    """Publish the drafts whose scheduled publication has come, and withdraw the
    published activities whose scheduled withdrawal has; each in its own
    transaction, as a Publisher's publish or withdraw would, with a new version
    (a form opened before is refused rather than saving the old status back).
    A draft scheduled to go public is a draft until this runs: nothing public
    shows it before its time, however late this runs. Returns what it
    published and withdrew."""
    now = now or timezone.now()
    due = Activity.objects.filter(
        status=Activity.Status.DRAFT, publish_at__lte=now, replaces__isnull=True
    )
    ending = Activity.objects.filter(status=Activity.Status.PUBLISHED, withdraw_at__lte=now)
    published = _each_in_its_transaction(
        due, Activity.publish, gettext_lazy("Published at its scheduled time.")
    )
    withdrawn = _each_in_its_transaction(
        ending, Activity.withdraw, gettext_lazy("Withdrawn at its scheduled time.")
    )
    return published, withdrawn


# What publish() and withdraw() change, with the version and the update time.
STATUS_FIELDS = ["status", "published_at", "publish_at", "withdraw_at", "updated_at", "version"]


def _each_in_its_transaction(queryset, apply, comment) -> list[Activity]:
    done: list[Activity] = []
    for pk in queryset.values_list("pk", flat=True):
        with transaction.atomic():
            # Still due once its row is held: another run may have been first.
            activity = queryset.select_for_update().filter(pk=pk).first()
            if activity is not None:
                change_status(activity, apply, None, comment)
                done.append(activity)
    return done


def change_status(activity: Activity, apply, user, comment) -> None:
    """Publish or withdraw (``apply``) one activity, as a version of it: its stored
    version, held until the save commits, plus one (a number, which the saved
    version records), so a form opened before is refused rather than saving the
    old status back. Only the status fields are written: a colleague's edit saved
    meanwhile stays."""
    with transaction.atomic(), saved_version(user, comment):
        apply(activity)
        activity.version = (
            Activity.objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=activity.pk)
            + 1
        )
        activity.save(update_fields=STATUS_FIELDS)


# -- notification ---------------------------------------------------------------


def publishers():
    """Active users who may publish, with an e-mail address, who have not turned
    review mails off."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(staff_preference__review_mail=False)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_activity")
            | Q(user_permissions__codename="publish_activity")
        )
        .distinct()
    )


def wants_mail(user) -> bool:
    return not StaffPreference.objects.filter(user=user, review_mail=False).exists()


def _site_url(path: str) -> str:
    return settings.CITYTIES_SITE_URL.rstrip("/") + path


def notify_publishers(review: ReviewRequest) -> None:
    recipients = [user.email for user in publishers()]
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):
        subject = _("Review requested: %(title)s") % {"title": review.activity.title}
        body = _(
            "%(who)s asks for a review of “%(title)s”.\n\n%(comment)s\n\n"
            "Waiting for review: %(url)s"
        ) % {
            "who": review.requested_by or "-",
            "title": review.activity.title,
            "comment": review.comment or "",
            "url": _site_url(reverse("admin:activities_activity_reviews")),
        }
    _send(subject, body, recipients)


def notify_author(review: ReviewRequest) -> None:
    author = review.requested_by
    if author is None or not author.email or not wants_mail(author):
        return
    with override(settings.LANGUAGE_CODE):
        subject = _("Sent back: %(title)s") % {"title": review.activity.title}
        body = _("%(who)s sent “%(title)s” back:\n\n%(reply)s\n\n%(url)s") % {
            "who": review.decided_by or "-",
            "title": review.activity.title,
            "reply": review.reply,
            "url": _site_url(
                reverse("admin:activities_activity_change", args=[review.activity_id])
            ),
        }
    _send(subject, body, [author.email])


def _send(subject: str, body: str, recipients: list[str]) -> None:
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail server down must not undo a review
        logger.exception("Could not send the review notification %r", subject)


# -- what a proposed change changes -----------------------------------------------


@dataclass
class Difference:
    label: str
    before: SafeString
    after: SafeString


@dataclass
class Comparison:
    differences: list[Difference] = field(default_factory=list)

    def add(self, label, before: str, after: str) -> None:
        # A browser sends a text area's line breaks as CR LF: not a change.
        before, after = before.replace("\r\n", "\n"), after.replace("\r\n", "\n")
        if before != after:
            old, new = inline_diff(before, after)
            self.differences.append(Difference(str(label), old, new))


def inline_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """The two texts, what was removed marked <del> in the first and what was
    added <ins> in the second; by character, as Japanese has no spaces."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    if matcher.ratio() < 0.5 and sum(op[0] != "equal" for op in opcodes) > 1:
        # Rewritten rather than edited: marked whole, not as scattered characters.
        return (
            format_html("<del>{}</del>", before) if before else mark_safe(""),
            format_html("<ins>{}</ins>", after) if after else mark_safe(""),
        )
    old: list[str] = []
    new: list[str] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            old.append(format_html("{}", before[i1:i2]))
            new.append(format_html("{}", after[j1:j2]))
            continue
        if i2 > i1:
            old.append(format_html("<del>{}</del>", before[i1:i2]))
        if j2 > j1:
            new.append(format_html("<ins>{}</ins>", after[j1:j2]))
    return mark_safe("".join(old)), mark_safe("".join(new))


def _verbose_name(model: type[Model], name: str) -> str:
    return str(cast("Field", model._meta.get_field(name)).verbose_name)


def _label(model: type[Model], name: str) -> str:
    """A field's name for staff: 本文（英語）, not the column's 本文 [en]."""
    for lang, word in (("ja", gettext_lazy("Japanese")), ("en", gettext_lazy("English"))):
        if name.endswith(f"_{lang}"):
            return f"{_verbose_name(model, name.removesuffix(f'_{lang}'))}（{word}）"
    return _verbose_name(model, name)


# A photo's fields that a comparison shows.
PHOTO_SHOWN = ("image", *PHOTO_COLUMNS[4:], "people")


@dataclass
class Content:
    """An activity's content as staff read it, whether from the database or from a
    saved version (its history): what a comparison compares."""

    columns: dict[str, str]
    relations: dict[str, str]
    people: str
    links: str
    # By the photo's identity (its id; a proposed change's copy, its origin's), in order.
    photos: dict[object, dict[str, str]]


def _text(model: type[Model], name: str, value: object) -> str:
    return shown_value(cast(Field, model._meta.get_field(name)), value)


def _names(model: type[Model], pks) -> str:
    return "、".join(sorted(str(o) for o in model._default_manager.filter(pk__in=list(pks))))


def _person(participant: str, title_ja: str | None, title_en: str | None, role: str) -> str:
    titles = " / ".join(t for t in (title_ja, title_en) if t) or "-"
    return f"{participant}（{titles}、{_text(Attendance, 'role', role)}）"


def _columns(values: dict[str, object]) -> dict[str, str]:
    columns = {}
    for name in COLUMNS:
        value = values.get(name)
        if name == "department":
            value = Department.objects.filter(pk=cast(int, value)).first() if value else None
        columns[name] = _text(Activity, name, value)
    return columns


def content_of(activity: Activity) -> Content:
    """An activity's content as stored; a proposed change's photos by their origin."""
    values: dict[str, object] = {name: getattr(activity, name) for name in COLUMNS[:-1]}
    values["department"] = activity.department_id
    photos: dict[object, dict[str, str]] = {}
    for photo in activity.photos.prefetch_related("people"):
        identity = photo.origin_id or ("new", photo.pk) if activity.replaces_id else photo.pk
        shown = {name: _text(Photo, name, getattr(photo, name)) for name in PHOTO_SHOWN[:-1]}
        shown["people"] = "、".join(sorted(str(p) for p in photo.people.all()))
        photos[identity] = shown
    return Content(
        columns=_columns(values),
        relations={
            relation: "、".join(sorted(str(o) for o in getattr(activity, relation).all()))
            for relation in RELATIONS
        },
        people="\n".join(
            _person(str(a.participant), a.title_ja, getattr(a, "title_en", None), a.role)
            for a in activity.attendances.select_related("participant")
        ),
        links="\n".join(f"{link.label_ja} {link.url}" for link in activity.links.all()),
        photos=photos,
    )


def content_of_version(version: Version) -> Content:
    """An activity's content as one saved version of it recorded it, with the
    people, photos, links, partners, themes and venues saved with it."""
    rows = parts_of(version)

    def ordered(model: type[Model]) -> list[dict]:
        return sorted(rows.get(model, []), key=lambda r: (r.get("order", 0), r["pk"]))

    # The people who attended and those pictured, in one query.
    people = {
        p.pk: str(p)
        for p in Participant.objects.filter(
            pk__in={r["participant_id"] for r in rows.get(Attendance, [])}
            | {pk for r in rows.get(Photo, []) for pk in r.get("people", [])}
        )
    }
    photos: dict[object, dict[str, str]] = {}
    for row in ordered(Photo):
        shown = {name: _text(Photo, name, row.get(name)) for name in PHOTO_SHOWN[:-1]}
        pictured = (people[pk] for pk in row.get("people", []) if pk in people)
        shown["people"] = "、".join(sorted(pictured))
        photos[row["pk"]] = shown
    return Content(
        columns=_columns(version.field_dict),
        relations={
            relation: _names(target, [r[key] for r in rows.get(through, [])])
            for relation, (through, key, target) in VERSIONED_RELATIONS.items()
        },
        people="\n".join(
            _person(
                people.get(r["participant_id"], "?"),
                r.get("title_ja"),
                r.get("title_en"),
                r["role"],
            )
            for r in ordered(Attendance)
        ),
        links="\n".join(f"{r.get('label_ja')} {r.get('url')}" for r in ordered(ActivityLink)),
        photos=photos,
    )


def compare(before: Content | None, after: Content) -> Comparison:
    """What differs between two versions of an activity's content, field by field,
    both languages, and their people, photos, links, partners, themes and venues.
    ``before`` None: everything ``after`` has (a draft to publish)."""
    result = Comparison()
    for name in COLUMNS:
        result.add(
            _label(Activity, name), before.columns[name] if before else "", after.columns[name]
        )
    for relation in RELATIONS:
        result.add(
            _verbose_name(Activity, relation),
            before.relations[relation] if before else "",
            after.relations[relation],
        )
    result.add(
        _verbose_name(Activity, "participants"), before.people if before else "", after.people
    )
    result.add(_("links"), before.links if before else "", after.links)
    earlier = dict(before.photos) if before else {}
    for number, (identity, photo) in enumerate(after.photos.items(), start=1):
        original = earlier.pop(identity, None)
        heading = _("Photo %(number)d") % {"number": number}
        if original is None:
            heading = _("Photo %(number)d (added)") % {"number": number}
        for name in PHOTO_SHOWN:
            label = f"{heading}: {_label(Photo, name)}"
            result.add(label, original[name] if original else "", photo[name])
    for photo in earlier.values():
        result.add(_("Photo removed"), photo["caption_ja"] or photo["image"], "")
    return result


def compare_activities(before: Activity | None, after: Activity) -> Comparison:
    return compare(content_of(before) if before is not None else None, content_of(after))


def diff_table(comparison: Comparison) -> SafeString:
    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td class="diff-before">{}</td>'
        '<td class="diff-after">{}</td></tr>',
        ((d.label, d.before, d.after) for d in comparison.differences),
    )
