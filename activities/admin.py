"""The staff side: city staff enter and publish the archive's records here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models import Max, Model, QuerySet
from django.db.models.fields.related import RelatedField
from django.forms.models import BaseInlineFormSet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from activities import countries, facets, images, resources, review, staff
from activities.forms import (
    ActivityAdminForm,
    OrganizationAdminForm,
    PhotoAdminForm,
    PhotoListForm,
    StaffDateField,
    StaffSplitDateTimeField,
)
from activities.locking import LOCK_FIELDS, EditConflict, claim_next_version, part_changed
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
from activities.slugs import SlugInputField

admin.site.site_header = _("CityTies staff site")
admin.site.site_title = _("CityTies staff site")
admin.site.index_title = _("International activities archive")
# The list of every model beside each page takes a fifth of a 1280-pixel screen
# from the forms and lists; the breadcrumbs and the home page lead everywhere.
admin.site.enable_nav_sidebar = False

# Staff paste addresses such as "iclei.org"; today that means https.
URL_FIELD_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}

# Longest side of a photo preview in the admin, in CSS pixels.
THUMBNAIL_SIZE = 160


def photo_thumbnail(photo: Photo) -> SafeString | str:
    """The photo's smallest rendition, scaled down by the browser.

    Width and height come from the row (the model stores them at upload), so the
    page neither reads image files nor jumps about while previews load.
    """
    if not photo.image:
        return "—"
    if photo.width and photo.height:
        scale = min(1.0, THUMBNAIL_SIZE / max(photo.width, photo.height))
        width, height = round(photo.width * scale), round(photo.height * scale)
    else:
        width = height = THUMBNAIL_SIZE
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
        photo.thumbnail["url"],
        width,
        height,
        photo.alt_text,
    )


def both_languages(*names: str) -> tuple[str, ...]:
    """Search translated fields in Japanese and in English, whatever the UI language."""
    return tuple(f"{name}_{lang}" for name in names for lang in ("ja", "en"))


if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

    # What the mixins below are mixed into, for the checker; plain classes at run time.
    _ModelAdmin = admin.ModelAdmin[Any]
    _InlineModelAdmin = admin.options.InlineModelAdmin[Any, Any]
else:
    _ModelAdmin = _InlineModelAdmin = object


class SafeChangeList(ChangeList):
    """The admin's changelist, with a range lookup read as two comma-separated values.

    Django splits only ``__in`` values on commas and hands a range the raw string,
    which the database then reads character by character: ``?id__range=19`` meant 1
    to 9 and ``?id__range=1`` failed while the query was compiled.
    """

    def get_filters(self, request: HttpRequest) -> tuple:
        filter_specs, has_filters, lookup_params, may_have_duplicates, has_active_filters = (
            super().get_filters(request)
        )
        for key, values in lookup_params.items():
            if key.endswith("__range"):
                # Django's lookup parameters are lists of values; django-stubs says bool | str.
                lookup_params[key] = [self._range(value) for value in values]  # type: ignore[assignment,union-attr]
        return filter_specs, has_filters, lookup_params, may_have_duplicates, has_active_filters

    @staticmethod
    def _range(value: object) -> list:
        bounds = value.split(",") if isinstance(value, str) else []
        if len(bounds) != 2:
            raise IncorrectLookupParameters(f"a range takes two values, got {value!r}")
        return bounds


class SafeQueryStringMixin(_ModelAdmin):
    """Whatever an address's query string holds, staff get a page, not a server error.

    A changelist that cannot run its parameters becomes the plain list with a notice,
    and an add form leaves out each initial value its field cannot take, saying so.
    Every admin on this site has it, Django's and django-axes' included (see the end
    of this module).
    """

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return SafeChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        """The changelist, rendered here, in a savepoint, when a page is read.

        Some parameters fail only when a query runs, and some of the page's queries
        run while its template renders: the facet counts leave out their own filter, so
        a regular expression the database cannot compile may fail there even though the
        result count, narrowed by that filter, never tried it. Rendering in the view
        catches every such failure, and the savepoint keeps a PostgreSQL transaction
        usable after it. Staff then get the plain list with a notice, as for other
        bad lookups; on the plain list itself a database error is a real one, and is
        raised.
        """
        if request.method not in ("GET", "HEAD"):
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                response = super().changelist_view(request, extra_context)
                if isinstance(response, TemplateResponse):
                    response.render()
        except DatabaseError:
            if not set(request.GET) - {ERROR_FLAG}:
                raise
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return response

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        """The changelist, or IncorrectLookupParameters for parameters it cannot use.

        The admin then shows the plain list with a notice, as it does for other bad
        lookups, instead of a server error: a NUL character fails when the query runs
        (PostgreSQL refuses it in a string, SQLite's driver stumbles on it), and a
        date-hierarchy year at the ends of the calendar overflows while the date
        range is computed.
        """
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise IncorrectLookupParameters("NUL character in a parameter")
        try:
            changelist = super().get_changelist_instance(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc
        if ERROR_FLAG in request.GET:
            # Django sends staff here, to the plain list, from parameters it could not use.
            self.message_user(
                request,
                _("The list could not be filtered as the address asked, so all of it is shown."),
                messages.WARNING,
            )
        return changelist

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """The add form's initial values from the query string, each one its field can take.

        Django passes them to the form as they come, and a widget that expects a date
        or a primary key fails while the page renders: ``?parent=abc`` on an
        organization, ``?published_at=abc`` on an activity. A value its model field
        refuses is left out, with a warning naming the field; the rest are converted,
        as a widget for a date and time needs a datetime, not text.
        """
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            # Reverse relations have no form field; an empty value means none.
            if not isinstance(field, models.Field) or value in ("", [""]):
                continue
            try:
                initial[name] = initial_value(field, value)
            except ValidationError:
                del initial[name]
                self.message_user(
                    request,
                    _("The address gave “%(field)s” a value it cannot take; it was left out.")
                    % {"field": capfirst(field.verbose_name)},
                    messages.WARNING,
                )
        return initial

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model | None:
        # An empty ?_to_field= passes Django's check of the field (it checks only a
        # value), then failed as a field named "": empty means the primary key.
        return super().get_object(request, object_id, from_field or None)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # The changelist validates its search box, but the autocomplete view passes the
        # term straight through, and PostgreSQL refuses a NUL character in a query.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


def initial_value(field: models.Field, value: str | list[str]) -> object:
    """A query-string value as ``field`` holds it, or ValidationError if it cannot.

    A relation's rows must exist: a foreign key's one, each of a many-to-many list (one
    query). Each key is checked as its own column first, so that a number too large
    for it is refused before it reaches the database. A file cannot come from an
    address.
    """
    if isinstance(field, models.FileField):
        raise ValidationError("a file cannot be given in the address")
    if not isinstance(field, RelatedField):
        return field.clean(value, None)
    target = field.target_field
    items: Sequence[object] = value if field.many_to_many else (value,)
    keys = {target.clean(item, None) for item in items}
    # A model class once the app registry is ready ("self" only before).
    model = cast("type[Model]", field.related_model)
    related = model._base_manager.filter(**{f"{target.name}__in": keys})
    if related.count() != len(keys):
        raise ValidationError("not every related row exists")
    return sorted(keys) if field.many_to_many else keys.pop()


# The badges of a proposed change and of a draft scheduled to go public
# (activities/review.py), beside a status's.
REPLACEMENT = "replacement"
SCHEDULED = "scheduled"


def badge_of(obj: Activity, status: str | None = None) -> str:
    if review.is_replacement(obj):
        return REPLACEMENT
    status = status or obj.status
    if status == Activity.Status.DRAFT and obj.publish_at is not None:
        return SCHEDULED
    return status


class ReviewRequestForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the Publisher"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: what changed and why."),
    )


class ReviewMailForm(forms.ModelForm):
    class Meta:
        model = StaffPreference
        fields = ["review_mail"]


class ReviewDecisionForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed to send it back: say what should change."),
    )


def stored_status(obj: Activity | None) -> str | None:
    """An activity's status as stored when its page was opened (ActivityAdmin.get_object):
    a posted form changes the instance's."""
    if obj is None:
        return None
    return getattr(obj, "stored_status", obj.status)


def status_badge(status: str) -> SafeString:
    """The status as a badge, in the activity list and at the top of its form."""
    return render_to_string(
        "admin/activities/activity/status_badge.html",
        {
            "status": status,
            "label": {
                **dict(Activity.Status.choices),
                REPLACEMENT: _("Proposed change"),
                SCHEDULED: _("Scheduled"),
            }.get(status, status),
        },
    )


class StaffDatesMixin(_ModelAdmin):
    """Every date typed in the admin is read as Japanese staff write it (2021/11/1,
    2021年11月1日, 令和3年11月1日, R3.11.1; activities.dates.parse_date), with examples
    under the field: a date field, and the date of a date-and-time field.

    Every admin on this site has it, Django's included (see the end of this module).
    """

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs
    ) -> forms.Field | None:
        if isinstance(db_field, models.DateTimeField):
            kwargs.setdefault("form_class", StaffSplitDateTimeField)
        elif isinstance(db_field, models.DateField):
            kwargs.setdefault("form_class", StaffDateField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ArchiveModelAdmin(StaffDatesMixin, SafeQueryStringMixin, TranslationAdmin):
    """The base of this app's admins: fields in both languages, dates as staff write
    them, safe query strings, slugs typed as staff like (activities/slugs.py) and
    countries found by typing (activities/countries.py)."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs
    ) -> forms.Field | None:
        if isinstance(db_field, CountryField):
            kwargs.setdefault("widget", countries.CountrySelect)
            kwargs.setdefault("choices", countries.form_choices)
        elif isinstance(db_field, models.SlugField):
            kwargs.setdefault("form_class", SlugInputField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RetainsPhotosMixin(_ModelAdmin):
    """A page that comes back with an error keeps the photos it was given: each
    photo field of the form and its inline rows that passed its own checks is kept
    in storage and offered again (activities/images.py), instead of leaving staff
    an empty file input to fill again."""

    def render_change_form(self, request: HttpRequest, context: dict, *args, **kwargs):
        if request.method == "POST":
            forms_shown = [context["adminform"].form]
            forms_shown += [
                form
                for inline in context.get("inline_admin_formsets", [])
                for form in inline.formset.forms
            ]
            for form in forms_shown:
                images.retain_uploads(form)
        return super().render_change_form(request, context, *args, **kwargs)


class VersionLockedAdminMixin(_ModelAdmin):
    """Turns a save that lost the race for a record's version (EditConflict, raised
    in the saving transaction, which is then undone) into a message, on the form and
    on the list alike."""

    conflict_message = _(
        "Not saved: a colleague saved this record at the same moment. "
        "Here is their version; make your changes again."
    )

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self._unless_conflict(super().changeform_view, request, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self._unless_conflict(super().changelist_view, request, *args, **kwargs)

    def _unless_conflict(self, view: Callable, request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except EditConflict:
            self.message_user(request, self.conflict_message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class SavesVersionsMixin(_ModelAdmin):
    """Each save through the form keeps a version of the activity it changes, with
    who saved it and Django's description of the change (activities/review.py).
    After VersionLockedAdminMixin: a save refused as a conflict keeps none."""

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return super().changeform_view(request, *args, **kwargs)
        return review.keep_version_of(super().changeform_view, request, *args, **kwargs)

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        review.set_comment(entry.get_change_message() if entry else "")
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        review.set_comment(entry.get_change_message() if entry else "")
        return entry


class ActivityReferencesMixin(_ModelAdmin):
    """On the "cannot delete" page, name the activities that still use the object.

    Django lists the protecting rows themselves, and a row of a through model reads
    only "partner organization: ICLEI" once per activity, which does not tell staff
    where to look. Rows that belong to an activity are shown as links to it instead.
    """

    def get_deleted_objects(self, objs, request: HttpRequest) -> tuple:
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = self._describe_protected(objs)
        return to_delete, model_count, perms_needed, protected

    def _describe_protected(self, objs) -> list[str]:
        # The rare refused delete pays for collecting twice; Django's helper does not
        # hand back the protecting objects, only their labels.
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        activity_ids, others = set(), []
        for obj in collector.protected:
            if isinstance(obj, Activity):
                activity_ids.add(obj.pk)
            elif isinstance(obj, (ActivityPartner, ActivityTheme, ActivityVenue, Attendance)):
                activity_ids.add(obj.activity_id)
            else:
                others.append(obj)
        described: list[str] = [
            format_html(
                '{}: <a href="{}">{}</a>',
                capfirst(Activity._meta.verbose_name),
                reverse(f"{self.admin_site.name}:activities_activity_change", args=[activity.pk]),
                activity,
            )
            for activity in Activity.objects.filter(pk__in=activity_ids).only("pk", "title")
        ]
        described += [self._describe(obj) for obj in others]
        return described

    def _describe(self, obj: Model) -> str:
        opts = obj._meta
        label = capfirst(opts.verbose_name)
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            )
        except NoReverseMatch:
            return f"{label}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', label, url, obj)


class FacetListFilter(admin.SimpleListFilter):
    """One of the public archive's filters in the activity list, meaning what it
    means there (activities/facets.py). A value not offered is ignored, so a
    hand-edited URL never becomes a server error."""

    facet: facets.Facet

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value is None or not self.is_valid(value):
            return queryset
        return self.facet.filter(queryset, value)

    def is_valid(self, value: str) -> bool:
        return value in {str(v) for v, _ in self.lookup_choices}


class YearListFilter(FacetListFilter):
    title = _("year")
    parameter_name = "year"
    facet = facets.YEAR

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        dates = model_admin.get_queryset(request).dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in dates]

    def is_valid(self, value: str) -> bool:
        # Any year, listed or not (a year without activities lists none).
        return (
            value.isascii()
            and value.isdigit()
            and facets.YEAR.first <= int(value) <= facets.YEAR.last
        )


class PartnerKindListFilter(FacetListFilter):
    title = _("kind of partner")
    parameter_name = "partner_kind"
    facet = facets.PARTNER_KIND

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return Organization.Kind.choices


class ReviewedPartMixin(_InlineModelAdmin):
    """A person, photo or link of an activity is changed as the activity is: not
    directly, on a published activity, by staff who may not publish
    (review.needs_review; they propose a change instead). ``obj`` is the activity."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not review.needs_review(
            request.user, obj
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not review.needs_review(
            request.user, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not review.needs_review(
            request.user, obj
        )


class AttendanceInline(ReviewedPartMixin, TranslationTabularInline):
    model = Attendance
    fields = ("participant", "title", "role", "order")
    autocomplete_fields = ("participant",)
    extra = 1


# A photo's form, in the activity's inline and on its own page alike.
PHOTO_FIELDS = (
    ("thumbnail", "image"),
    "caption",
    ("alt_text", "is_decorative"),
    ("credit", "order"),
    "people",
)


class PhotoInlineFormSet(BaseInlineFormSet):
    """Each photo this form changes gets a new version, so that the photo's own page,
    if a colleague has it open, refuses to save it back (activities/locking.py)."""

    def save_existing(self, form, obj, commit: bool = True):
        # The activity's row is already claimed: no photo page can save in between.
        obj.version += 1
        return super().save_existing(form, obj, commit=commit)


class PhotoInline(ReviewedPartMixin, TranslationStackedInline):
    model = Photo
    formset = PhotoInlineFormSet
    # The usual stacked inline, and a link to add several photos at once.
    template = "admin/activities/photo/inline.html"
    fields = PHOTO_FIELDS
    readonly_fields = ("thumbnail",)
    autocomplete_fields = ("people",)
    extra = 1

    class Media:
        # Several photos chosen at once, each in a row of its own, before a first save.
        js = ("js/admin-photos.js",)

    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Photo) -> SafeString | str:
        return photo_thumbnail(obj)


class ActivityLinkInline(ReviewedPartMixin, TranslationTabularInline):
    model = ActivityLink
    fields = ("label", "url", "order")
    formfield_overrides = URL_FIELD_OVERRIDES
    extra = 1


# Activity's many-to-many relations through models of their own, edited in its form.
ACTIVITY_RELATIONS = ("partners", "themes", "venues")


class ActivityImportExportMixin(ImportExportMixin):
    """「インポート」 and 「エクスポート」 on the activity list: spreadsheets in the layout of
    activities/resources.py, in CSV or Excel.

    An import is read and tried first, in a transaction that is rolled back, and
    shown as a preview of what it would add, change or leave; nothing is written
    until staff confirm it, and then all of it or, if any row fails, none. Staff
    see what went wrong in Japanese, never a traceback. Anyone who may add and
    change activities may import; an editor's import only makes drafts and leaves
    published activities as they are (ActivityResource). Anyone who may see the
    list may export it, filtered as the list is.
    """

    resource_classes = [resources.ActivityResource]
    import_formats = resources.FORMATS
    export_formats = resources.FORMATS
    import_template_name = "admin/activities/activity/import.html"
    # Every column, always: the file is the layout an import reads back. (The form
    # that picks columns also relies on inline script, which the CSP refuses.)
    export_form_class = ExportForm
    # What was wrong with a row, not the row's every value again.
    import_error_display = ("message",)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_or_change_permission(request)

    def get_resource_kwargs(self, request: HttpRequest, *args, **kwargs) -> dict:
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs) -> dict:
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # A row refused when the import is confirmed undoes the rows before it too.
        return {**kwargs, "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form: forms.Form, exc: Exception) -> None:
        if isinstance(exc, resources.FileProblem):
            form.add_error("import_file", str(exc))
            return
        form.add_error(
            "import_file",
            _(
                "The file could not be read. Check that the format chosen is the file's: "
                "CSV or Excel (.xlsx)."
            ),
        )

    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """The confirmed import: the file kept from the preview, imported for real.

        If the file is gone (the preview was long ago) or a row now fails (a
        colleague changed the archive since the preview), nothing is written and
        staff are told why.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        import_url = reverse(f"{self.admin_site.name}:activities_activity_import")
        confirm_form = self.create_confirm_form(request)
        data, input_format = None, None
        if confirm_form.is_valid():
            formats = self.get_import_formats()
            try:
                input_format = formats[int(confirm_form.cleaned_data["format"])]()
            except (ValueError, IndexError):
                input_format = None
            if input_format is not None:
                tmp_storage = self.get_tmp_storage_class()(
                    name=confirm_form.cleaned_data["import_file_name"],
                    encoding=None,
                    read_mode=input_format.get_read_mode(),
                    **self.get_tmp_storage_class_kwargs(),
                )
                data = tmp_storage.read()
        if not data or input_format is None:
            self.message_user(
                request,
                _("The file to import is no longer here. Choose it and preview it again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(import_url)
        try:
            dataset = input_format.create_dataset(data)
        except resources.FileProblem as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(import_url)
        result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Import"),
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                "opts": self.opts,
                "result": result,
                "import_error_display": self.import_error_display,
                "fields_list": [],
            }
            return TemplateResponse(request, [self.import_template_name], context)
        tmp_storage.remove()
        return self.process_result(result, request)

    def add_success_message(self, result, request: HttpRequest) -> None:
        totals = result.totals
        self.message_user(
            request,
            _("Imported: %(new)d added, %(updated)d changed, %(skipped)d unchanged.")
            % {"new": totals["new"], "updated": totals["update"], "skipped": totals["skip"]},
            messages.SUCCESS,
        )
        if getattr(result, "added_venues", None):
            self.message_user(
                request,
                _("New places were added: %(names)s. Fill in each one's country on its page.")
                % {"names": "、".join(result.added_venues)},
                messages.WARNING,
            )
        if getattr(result, "added_people", None):
            self.message_user(
                request,
                _("New people were added: %(names)s.") % {"names": "、".join(result.added_people)},
                messages.INFO,
            )
        if totals["new"] and not self.has_publish_permission(request):
            self.message_user(
                request,
                _(
                    "The activities you imported are drafts. To publish them, ask a "
                    "colleague with the Publisher role."
                ),
                messages.INFO,
            )

    def _create_log_entry(self, user_pk, rows, import_type, action_flag) -> None:
        # The history says "by importing a file", in the staff's language.
        if rows:
            message = (
                _("Added by importing a file.")
                if import_type == "new"
                else _("Changed by importing a file.")
            )
            # django-stubs overloads single_object on a literal only.
            LogEntry.objects.log_actions(  # type: ignore[call-overload]
                user_pk, rows, action_flag, str(message), single_object=len(rows) == 1
            )

    def export_action(self, request: HttpRequest) -> HttpResponse:
        """The export, of the list as filtered; filters it cannot use are dropped
        with a notice, as on the list."""
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                return super().export_action(request)
        except (IncorrectLookupParameters, DatabaseError, ValueError, OverflowError):
            if not request.GET:
                raise
            self.message_user(
                request,
                _("The list could not be filtered as the address asked, so all of it is shown."),
                messages.WARNING,
            )
            return HttpResponseRedirect(request.path)


@admin.register(Activity)
class ActivityAdmin(
    ActivityImportExportMixin,
    RetainsPhotosMixin,
    VersionLockedAdminMixin,
    SavesVersionsMixin,
    ArchiveModelAdmin,
):
    form = ActivityAdminForm
    inlines = (AttendanceInline, PhotoInline, ActivityLinkInline)
    # Every column is on the activity row itself: the changelist needs no joins.
    list_display = (
        "title",
        "start_date",
        "end_date",
        "kind",
        "status_badge",
        "published_at",
        "updated_at",
    )
    list_filter = ("status", YearListFilter, "kind", "themes", PartnerKindListFilter)
    search_fields = both_languages(
        "title", "summary", "body", "partners__name", "partners__short_name"
    )
    date_hierarchy = "start_date"
    ordering = ("-start_date", "-pk")
    actions = ("publish", "withdraw")
    view_on_site = True

    class Media:
        # A ✎ on each chosen partner, theme and venue (change_chosen_attrs), after
        # the scripts it uses.
        js = (
            "admin/js/jquery.init.js",
            "admin/js/admin/RelatedObjectLookups.js",
            "js/admin-chosen-edit.js",
        )

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        """Partners, themes and venues, as the admin makes any relation's field: an
        autocomplete, wrapped with ＋ to add one in a pop-up. Django makes no field
        for a relation through a model of its own; these through models hold
        nothing but the two keys, so the form's ``.set()`` can fill them."""
        if db_field.name in ACTIVITY_RELATIONS:
            kwargs.setdefault(
                "widget",
                AutocompleteSelectMultiple(
                    db_field,
                    self.admin_site,
                    attrs=self.change_chosen_attrs(request, db_field.related_model),
                    using=kwargs.get("using"),
                ),
            )
            return db_field.formfield(**kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def change_chosen_attrs(self, request: HttpRequest, model: type[Model]) -> dict[str, str]:
        """For js/admin-chosen-edit.js: a ✎ on each chosen one, which opens its form in
        a pop-up, as Django's ✎ beside a field of one choice does — for staff who may
        change it."""
        related_admin = self.admin_site._registry.get(model)
        if related_admin is None or not related_admin.has_change_permission(request):
            return {}
        opts = model._meta
        change = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=["__fk__"],
            current_app=self.admin_site.name,
        )
        return {
            "data-change-url": f"{change}?{TO_FIELD_VAR}=id&{IS_POPUP_VAR}=1",
            # {name} is filled in by the script.
            "data-change-label": gettext("Change “{name}”"),
        }

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: Activity) -> SafeString:
        return status_badge(badge_of(obj))

    def get_fieldsets(self, request: HttpRequest, obj: Activity | None = None) -> list:
        # A method, not a `fieldsets` attribute: the admin's checks refuse many-to-many
        # fields with their own through model there (admin.E013), though
        # formfield_for_manytomany makes them.
        publication: list = ["status", "published_at", ("publish_at", "withdraw_at")]
        if obj is not None:
            publication += ["created_at", "updated_at"]
            if self.has_change_permission(request, obj):
                # Hidden: the version this form was opened at (activities/locking.py).
                publication.append(LOCK_FIELDS)
        return [
            (None, {"fields": [*self.replace_orig_field(["title"]), "slug", "kind"]}),
            (_("Dates"), {"fields": [("start_date", "end_date")]}),
            (_("Text"), {"fields": self.replace_orig_field(["summary", "body"])}),
            (
                _("Partners, themes and venues"),
                {"fields": ["partners", "themes", "venues", "department"]},
            ),
            (_("Publication"), {"fields": publication}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Activity | None = None) -> list:
        readonly = ["created_at", "updated_at"]
        if not self.has_publish_permission(request):
            readonly += ["status", "published_at", "publish_at", "withdraw_at"]
        elif stored_status(obj) != Activity.Status.PUBLISHED:
            # Publishing sets the date; once the activity is public, a publisher may
            # correct it (to the day an older record first went public, say).
            readonly.append("published_at")
        if obj is not None and review.is_replacement(obj):
            # A proposed change goes public only by approval, under the public
            # activity's URL (activities/review.py).
            readonly += ["status", "published_at", "publish_at", "withdraw_at", "slug"]
        # Once an activity has been public, its URL may be in links and bookmarks,
        # even if it has since been withdrawn.
        if obj is not None and getattr(
            obj, "was_public", obj.is_published or obj.published_at is not None
        ):
            readonly.append("slug")
        return readonly

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Activity | None:
        obj = cast("Activity | None", super().get_object(request, object_id, from_field))
        if obj is not None:
            # As stored: a posted form changes the instance, and a form with errors must
            # be shown again with the fields it was built with (else a server error).
            # Marks read back with getattr(); the model does not declare them.
            obj.was_public = obj.is_published or obj.published_at is not None  # type: ignore[attr-defined]
            obj.stored_status = obj.status  # type: ignore[attr-defined]
        return obj

    def has_change_permission(self, request: HttpRequest, obj: Activity | None = None) -> bool:
        # Staff who may not publish see a published activity without changing it,
        # and propose a change instead (activities/review.py).
        return super().has_change_permission(request, obj) and not review.needs_review(
            request.user, obj
        )

    def render_change_form(
        self, request: HttpRequest, context: dict, *args, obj: Activity | None = None, **kwargs
    ) -> HttpResponse:
        if obj is not None:
            # At the top of the form (templates/admin/activities/activity/change_form.html):
            # the status as stored, not as a form with errors would change it.
            context["status_badge"] = status_badge(badge_of(obj, stored_status(obj)))
            context.update(self.review_context(request, obj))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def review_context(self, request: HttpRequest, obj: Activity) -> dict:
        """Where the activity stands in review, and what this user may do about it,
        for the top of its form."""
        open_request = review.open_request(obj)
        may_publish = self.has_publish_permission(request)
        may_change = super().has_change_permission(request, obj)
        proposal = None
        if obj.is_published:
            proposal = Activity.objects.filter(replaces=obj).first()
        return {
            "replaces": obj.replaces if review.is_replacement(obj) else None,
            "proposal": proposal,
            "open_review": open_request,
            "returned_review": review.last_reply(obj),
            "may_propose": stored_status(obj) == Activity.Status.PUBLISHED
            and proposal is None
            and review.needs_review(request.user, obj)
            and may_change,
            "may_request_review": not obj.is_published
            and open_request is None
            and may_change
            and not may_publish,
            "may_decide": open_request is not None and may_publish,
        }

    def response_add(self, request: HttpRequest, obj: Activity, *args, **kwargs) -> HttpResponse:
        response = super().response_add(request, obj, *args, **kwargs)
        self._say_what_comes_next(request, obj)
        return response

    def response_change(self, request: HttpRequest, obj: Activity) -> HttpResponse:
        response = super().response_change(request, obj)
        self._say_what_comes_next(request, obj)
        return response

    def _say_what_comes_next(self, request: HttpRequest, obj: Activity) -> None:
        """After Django's "was added/changed", where the activity stands now and what
        its next step is, with a link to its public page (or to the draft's preview)."""
        if IS_POPUP_VAR in request.POST:
            # The pop-up closes at once: a message would wait for some later page.
            return
        was_published = stored_status(obj) == Activity.Status.PUBLISHED
        text: StrOrPromise
        if obj.is_published:
            text = (
                _("Saved. The public page shows the change.")
                if was_published
                else _("Published: anyone can now see it on the public page.")
            )
            link, level = _("See the public page"), messages.SUCCESS
        else:
            if was_published:
                text = _("Withdrawn: it is a draft again, and no longer on the public site.")
            elif obj.publish_at is not None:
                text = _("Scheduled: it goes public on %(when)s, not before.") % {
                    "when": formats.date_format(
                        timezone.localtime(obj.publish_at), "DATETIME_FORMAT"
                    )
                }
            elif review.is_replacement(obj):
                text = _(
                    "Proposed change saved. The public page does not change until a "
                    "Publisher approves it: request a review when it is ready."
                )
            elif self.has_publish_permission(request):
                text = _(
                    "Saved as a draft; it is not public yet. To publish it, set its status "
                    "to “%(published)s” and save."
                ) % {"published": Activity.Status.PUBLISHED.label}
            else:
                text = _(
                    "Saved as a draft. To publish it, ask a colleague with the Publisher role."
                )
            link, level = _("Preview the draft"), messages.INFO
            if review.is_replacement(obj):
                link = _("Preview the proposed change")
        self.message_user(
            request,
            format_html('{} <a href="{}">{}</a>', text, obj.get_absolute_url(), link),
            level,
        )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return review.may_publish(request.user)

    def save_model(
        self, request: HttpRequest, obj: Activity, form: ActivityAdminForm, change: bool
    ) -> None:
        if not self.has_publish_permission(request):
            # The form already leaves these fields out for such a user; this holds even
            # if a differently built form lets them through.
            self._keep_publication_state(obj, change)
        if change:
            # Refuses the save if a colleague saved since this form's check.
            claim_next_version(obj)
        else:
            obj.version = 1
        super().save_model(request, obj, form, change)

    @staticmethod
    def _keep_publication_state(obj: Activity, change: bool) -> None:
        if change:
            obj.status, obj.published_at = (
                Activity.objects.filter(pk=obj.pk).values_list("status", "published_at").get()
            )
        else:
            obj.status, obj.published_at = Activity.Status.DRAFT, None

    # -- review: proposed changes, requests, 承認待ち (activities/review.py) ----------

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("reviews/", view(self.reviews_view), name="activities_activity_reviews"),
            path(
                "reviews/<int:review_id>/",
                view(self.review_view),
                name="activities_activity_review",
            ),
            path(
                "<int:activity_id>/propose-change/",
                view(self.propose_change_view),
                name="activities_activity_propose_change",
            ),
            path(
                "<int:activity_id>/request-review/",
                view(self.request_review_view),
                name="activities_activity_request_review",
            ),
            path(
                "reviews/mail/",
                view(self.review_mail_view),
                name="activities_activity_review_mail",
            ),
            path(
                "<int:activity_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name="activities_activity_restore",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, activity: Activity) -> str:
        return reverse(f"{self.admin_site.name}:activities_activity_change", args=[activity.pk])

    def propose_change_view(self, request: HttpRequest, activity_id: int) -> HttpResponse:
        """A published activity's proposed change: started, or the one already
        started, opened."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        activity = get_object_or_404(Activity, pk=activity_id)
        if not (
            self.has_view_permission(request, activity)
            and super().has_change_permission(request)
            and self.has_add_permission(request)
        ):
            raise PermissionDenied
        try:
            copy = review.start_replacement(activity)
        except review.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(self._change_url(activity))
        self.log_addition(request, copy, [{"added": {}}])
        self.message_user(
            request,
            gettext(
                "This is a proposed change of the public activity. Change what you need and "
                "save, then request a review: the public page keeps showing the approved "
                "version until a Publisher approves."
            ),
            messages.INFO,
        )
        return HttpResponseRedirect(self._change_url(copy))

    def request_review_view(self, request: HttpRequest, activity_id: int) -> HttpResponse:
        activity = get_object_or_404(Activity, pk=activity_id)
        if not self.has_change_permission(request, activity):
            raise PermissionDenied
        form = ReviewRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                review.request_review(activity, request.user, form.cleaned_data["comment"])
            except review.ReviewError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Review requested. A Publisher will look at it."),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(self._change_url(activity))
        return self._review_page(
            request,
            "admin/activities/activity/request_review.html",
            title=gettext("Request a review"),
            subtitle=str(activity),
            activity=activity,
            form=form,
        )

    def reviews_view(self, request: HttpRequest) -> HttpResponse:
        """承認待ち: what waits for a Publisher."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return self._review_page(
            request,
            "admin/activities/activity/reviews.html",
            title=gettext("Waiting for review"),
            reviews=list(review.open_requests()),
        )

    def review_view(self, request: HttpRequest, review_id: int) -> HttpResponse:
        """One request: what it changes against the public version; approve it or
        send it back."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        request_for_review = get_object_or_404(
            ReviewRequest.objects.select_related("activity", "requested_by"), pk=review_id
        )
        activity = request_for_review.activity
        form = ReviewDecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and request_for_review.is_open and form.is_valid():
            reply = form.cleaned_data["reply"]
            try:
                if "_approve" in request.POST:
                    public = review.approve(request_for_review, request.user, reply)
                    self.log_change(request, public, [{"changed": {"fields": ["status"]}}])
                    self.message_user(
                        request,
                        format_html(
                            '{} <a href="{}">{}</a>',
                            gettext("Approved: the public page shows it now."),
                            public.get_absolute_url(),
                            gettext("See the public page"),
                        ),
                        messages.SUCCESS,
                    )
                else:
                    review.send_back(request_for_review, request.user, reply)
                    self.message_user(
                        request,
                        gettext("Sent back to its author with your reply."),
                        messages.SUCCESS,
                    )
            except review.ReviewError as error:
                form.add_error(None, str(error))
            except EditConflict:
                form.add_error(
                    None,
                    gettext(
                        "The public activity was changed after this proposed change was "
                        "made: approving it would undo that change. Send it back so that "
                        "it is made again from the public version."
                    ),
                )
            else:
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:activities_activity_reviews")
                )
        live = activity.replaces if review.is_replacement(activity) else None
        return self._review_page(
            request,
            "admin/activities/activity/review.html",
            title=gettext("Review"),
            subtitle=str(activity),
            review=request_for_review,
            activity=activity,
            public=live,
            differences=review.diff_table(review.compare_activities(live, activity)),
            form=form,
        )

    def review_mail_view(self, request: HttpRequest) -> HttpResponse:
        """Each member of staff turns review mails on or off for themselves."""
        user = cast("User", request.user)  # the admin lets only staff in
        preference = StaffPreference.objects.filter(user=user).first()
        form = ReviewMailForm(
            request.POST if request.method == "POST" else None,
            instance=preference or StaffPreference(user=user),
        )
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(request, gettext("Saved."), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return self._review_page(
            request,
            "admin/activities/activity/review_mail.html",
            title=gettext("Review e-mails"),
            form=form,
            email=user.email,
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """Every saved version, with who saved it, when and why; any two compared;
        an earlier one restored."""
        activity = self.get_object(request, object_id)
        if activity is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, activity):
            raise PermissionDenied
        versions = review.history(activity)
        by_id = {str(v.pk): v for v in versions}
        older, newer = request.GET.get("a"), request.GET.get("b")
        if older not in by_id or newer not in by_id:
            older = str(versions[1].pk) if len(versions) > 1 else None
            newer = str(versions[0].pk) if versions else None
        differences = None
        if older and newer and older != newer:
            first, second = sorted(
                (by_id[older], by_id[newer]), key=lambda v: v.revision.date_created
            )
            differences = review.diff_table(
                review.compare(review.content_of_version(first), review.content_of_version(second))
            )
        return self._review_page(
            request,
            "admin/activities/activity/history.html",
            title=gettext("History"),
            subtitle=str(activity),
            activity=activity,
            versions=versions,
            older=older,
            newer=newer,
            differences=differences,
            may_restore=super().has_change_permission(request),
            restores_as_proposal=review.needs_review(request.user, activity),
        )

    def restore_view(self, request: HttpRequest, activity_id: int, version_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        activity = get_object_or_404(Activity, pk=activity_id)
        if not (
            self.has_view_permission(request, activity) and super().has_change_permission(request)
        ):
            raise PermissionDenied
        version = next((v for v in review.history(activity) if v.pk == version_id), None)
        if version is None:
            raise Http404
        try:
            target, missing = review.restore(activity, version, request.user)
        except review.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("/", 3)[0] + "/")
        if target.pk != activity.pk:
            text = gettext(
                "The earlier version is now a proposed change: check it and request a "
                "review. The public page has not changed."
            )
        else:
            text = gettext("The earlier version is restored.")
        self.message_user(request, text, messages.SUCCESS)
        if missing:
            self.message_user(
                request,
                gettext("Not restored, as their files were deleted since: %(photos)s")
                % {"photos": "、".join(missing)},
                messages.WARNING,
            )
        return HttpResponseRedirect(self._change_url(target))

    def _review_page(self, request: HttpRequest, template: str, **context) -> HttpResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "activity_opts": Activity._meta,
                **context,
            },
        )

    @admin.action(description=_("Publish selected activities"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._change_status(request, queryset, Activity.publish, published=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d activity was published.",
                "%(count)d activities were published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw selected activities"), permissions=["publish"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._change_status(request, queryset, Activity.withdraw, published=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d activity was withdrawn; it is a draft again.",
                "%(count)d activities were withdrawn; they are drafts again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def _change_status(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        apply: Callable[[Activity], None],
        *,
        published: bool,
    ) -> int:
        """Apply publish() or withdraw() to each activity not yet in that state.

        Saves only the publication fields, so an edit a colleague saved meanwhile is
        not overwritten, and records each change in the object's history.
        """
        count = 0
        for activity in queryset:
            if activity.is_published == published:
                continue
            if review.is_replacement(activity):
                self.message_user(
                    request,
                    gettext(
                        "“%(title)s” is a proposed change: approve it in “Waiting for "
                        "review” to make it public."
                    )
                    % {"title": activity},
                    messages.WARNING,
                )
                continue
            comment = gettext("Published.") if published else gettext("Withdrawn.")
            review.change_status(activity, apply, request.user, comment)
            self.log_change(request, activity, [{"changed": {"fields": ["status"]}}])
            count += 1
        return count


@admin.register(Organization)
class OrganizationAdmin(ActivityReferencesMixin, ArchiveModelAdmin):
    form = OrganizationAdminForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("name", "short_name", "kind", "parent", "country")
    list_filter = ("kind", ("country", CountryFilter))
    list_select_related = ("parent",)
    search_fields = (*both_languages("name", "short_name"), "slug")
    autocomplete_fields = ("parent",)


@admin.register(Theme)
class ThemeAdmin(ActivityReferencesMixin, ArchiveModelAdmin):
    list_display = ("name", "slug")
    search_fields = (*both_languages("name"), "slug")


@admin.register(Venue)
class VenueAdmin(ActivityReferencesMixin, ArchiveModelAdmin):
    list_display = ("name", "city", "country")
    list_filter = (("country", CountryFilter),)
    search_fields = both_languages("name", "city", "address")


@admin.register(Participant)
class ParticipantAdmin(ActivityReferencesMixin, ArchiveModelAdmin):
    list_display = ("name", "title", "organization")
    list_filter = ("organization__kind",)
    list_select_related = ("organization",)
    search_fields = both_languages(
        "name", "title", "organization__name", "organization__short_name"
    )
    autocomplete_fields = ("organization",)


@admin.register(Department)
class DepartmentAdmin(ActivityReferencesMixin, ArchiveModelAdmin):
    list_display = ("name", "phone", "fax", "email")
    formfield_overrides = URL_FIELD_OVERRIDES
    search_fields = (*both_languages("name"), "email")


# More would make one request process for too long (each photo takes up to a second).
MAX_PHOTOS_AT_ONCE = 10


class AddSeveralPhotosForm(forms.Form):
    """Several photos for one activity, sharing an alt text to start with.

    The alt text is required (the public page never shows a photo without one);
    staff then refine it photo by photo in the activity's Photos section, where
    each photo shows beside its fields.
    """

    photos = images.MultiplePhotoField(label=_("Photos"), max_files=MAX_PHOTOS_AT_ONCE)
    alt_text = forms.CharField(
        label=_("Alt text (Japanese)"),
        max_length=300,
        validators=[images.validate_alt_text],
        help_text=_(
            "What the photos show, for people who cannot see them. Every photo starts "
            "with this text: describe each one afterwards in the activity's Photos section."
        ),
    )
    credit = forms.CharField(label=_("Credit (Japanese)"), max_length=200, required=False)


@admin.register(Photo)
class PhotoAdmin(
    RetainsPhotosMixin, VersionLockedAdminMixin, SavesVersionsMixin, ArchiveModelAdmin
):
    form = PhotoAdminForm
    list_display = ("thumbnail", "caption", "activity", "order", "is_decorative")
    list_display_links = ("thumbnail", "caption")
    list_editable = ("order",)
    list_filter = ("is_decorative",)
    list_select_related = ("activity",)
    search_fields = both_languages("caption", "alt_text", "credit", "activity__title")
    autocomplete_fields = ("activity", "people")
    ordering = ("-activity__start_date", "-activity_id", "order", "pk")
    fields = ("activity", *PHOTO_FIELDS)
    readonly_fields = ("thumbnail",)

    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Photo) -> SafeString | str:
        return photo_thumbnail(obj)

    def get_fields(self, request: HttpRequest, obj: Photo | None = None) -> list:
        fields = list(super().get_fields(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            # Hidden: the version this form was opened at (activities/locking.py).
            fields.append(LOCK_FIELDS)
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Photo | None = None) -> bool:
        # A published activity's photo, as its other parts, through a proposed
        # change for staff who may not publish (activities/review.py).
        return super().has_change_permission(request, obj) and not self._needs_review(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Photo | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._needs_review(request, obj)

    @staticmethod
    def _needs_review(request: HttpRequest, obj: Photo | None) -> bool:
        return (
            obj is not None
            and obj.activity_id is not None
            and review.needs_review(request.user, obj.activity)
        )

    def get_form(
        self, request: HttpRequest, obj: Photo | None = None, change: bool = False, **kwargs
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class ReviewedPhotoForm(form):  # type: ignore[valid-type,misc]
            def clean_activity(self) -> Activity:
                activity = self.cleaned_data["activity"]
                if review.needs_review(user, activity):
                    raise ValidationError(
                        _(
                            "This activity is public: add the photo to a proposed change "
                            "of it instead (open the activity and choose “Propose a change”)."
                        ),
                        code="needs_review",
                    )
                return activity

        return ReviewedPhotoForm

    def get_changelist_form(self, request: HttpRequest, **kwargs) -> type[forms.ModelForm]:
        # Each row carries the photo's version, hidden
        # (templates/admin/activities/photo/change_list_results.html).
        form = super().get_changelist_form(request, form=PhotoListForm, **kwargs)
        user = request.user

        class ReviewedRowForm(form):  # type: ignore[valid-type,misc]
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                if self.instance.pk is not None and review.needs_review(
                    user, self.instance.activity
                ):
                    # Shown, not changed: a disabled field keeps its stored value.
                    for field in self.fields.values():
                        field.disabled = True

        return ReviewedRowForm

    def save_model(self, request: HttpRequest, obj: Photo, form, change: bool) -> None:
        if change:
            # The activity first, as its own form does, then the photo: a save of the
            # activity at the same moment waits for this one or is refused after it.
            part_changed([obj.activity_id])
            claim_next_version(obj)
        super().save_model(request, obj, form, change)
        review.add_to_version(obj.activity)

    def get_urls(self) -> list:
        return [
            path(
                "add-several/<int:activity_id>/",
                self.admin_site.admin_view(self.add_several_view),
                name="activities_photo_add_several",
            ),
            *super().get_urls(),
        ]

    def add_several_view(self, request: HttpRequest, activity_id: int) -> HttpResponse:
        """Upload several photos to one activity: each file becomes a photo."""
        activity = get_object_or_404(Activity, pk=activity_id)
        activity_admin = self.admin_site.get_model_admin(Activity)
        if not (
            self.has_add_permission(request)
            and activity_admin.has_change_permission(request, activity)
        ):
            raise PermissionDenied
        form = AddSeveralPhotosForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with review.saved_version(request.user, gettext("Added photos.")):
                photos = self._add_photos(
                    activity,
                    files=data["photos"],
                    alt_text=data["alt_text"],
                    credit=data["credit"],
                )
                review.add_to_version(activity)
            for photo in photos:
                self.log_addition(request, photo, [{"added": {}}])
            self.message_user(
                request,
                ngettext(
                    "%(count)d photo was added. Describe it in its alt text below.",
                    "%(count)d photos were added. Describe each one in its alt text below.",
                    len(photos),
                )
                % {"count": len(photos)},
                messages.SUCCESS,
            )
            change_url = reverse(
                f"{self.admin_site.name}:activities_activity_change", args=[activity.pk]
            )
            return HttpResponseRedirect(f"{change_url}#photos-group")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add several photos"),
            "subtitle": str(activity),
            "opts": self.opts,
            "activity": activity,
            "activity_opts": Activity._meta,
            "form": form,
            "max_files": MAX_PHOTOS_AT_ONCE,
        }
        return TemplateResponse(request, "admin/activities/photo/add_several.html", context)

    @staticmethod
    def _add_photos(activity: Activity, *, files: list, alt_text: str, credit: str) -> list[Photo]:
        """New photos after the activity's others, in the order the files came."""
        last = activity.photos.aggregate(last=Max("order"))["last"] or 0
        photos: list[Photo] = []
        try:
            with transaction.atomic():
                for number, upload in enumerate(files, start=1):
                    photo = Photo(
                        activity=activity,
                        image=upload,
                        alt_text_ja=alt_text,
                        credit_ja=credit,
                        order=last + number,
                    )
                    photo.save()
                    photos.append(photo)
        except BaseException:
            # Storage is not transactional: the files of a rolled-back batch go too.
            for photo in photos:
                images.delete_files(photo.image.storage, photo.file_names())
            raise
        return photos


def guard_other_admins(site: admin.AdminSite) -> None:
    """Give the admins other apps registered (users, groups, django-axes' login records)
    SafeQueryStringMixin and StaffDatesMixin, keeping everything else about them.

    This app comes last in INSTALLED_APPS, so theirs are registered by now.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, SafeQueryStringMixin):
            continue
        admin_class = type(model_admin)
        site.unregister(model)
        site.register(
            model,
            type(admin_class.__name__, (StaffDatesMixin, SafeQueryStringMixin, admin_class), {}),
        )


staff.register(admin.site)
guard_other_admins(admin.site)
