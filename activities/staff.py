"""Staff accounts in the staff's language: roles, permissions and the sign-in.

The groups "Editor" and "Publisher" (migration 0005) keep those names, which code and
documents use; staff see them as 編集者 and 公開担当. Django stores permission names
in English, in the database; they are shown here in the language of the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.debug import sensitive_variables

EDITOR = "Editor"
PUBLISHER = "Publisher"

# A Publisher publishes and withdraws; "担当" is how an office names such a duty, and
# keeps the role apart from the site's administrators (superusers).
ROLE_NAMES = {EDITOR: _("Editor"), PUBLISHER: _("Publisher")}

# Django's default permissions, by the action in their codename.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def role_name(group: Group) -> str:
    """A group as staff know it: a role's name in their language, else its own name."""
    return str(ROLE_NAMES.get(group.name, group.name))


def permission_name(permission: Permission) -> str:
    """A permission in the page's language, after the name of its app.

    Reads the permission's content type: select it with the permission.
    """
    model = permission.content_type.model_class()
    if model is None:
        # A model no longer installed: what the database says.
        return f"{permission.content_type.app_label} | {permission.name}"
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    if model_name == opts.model_name and action in DEFAULT_PERMISSION_NAMES:
        name = DEFAULT_PERMISSION_NAMES[action] % {"model": opts.verbose_name}
    else:
        # A model's own permissions (Meta.permissions) name themselves with gettext.
        name = str(dict(opts.permissions).get(permission.codename, permission.name))
    return f"{apps.get_app_config(opts.app_label).verbose_name} | {name}"


class RoleListFilter(admin.RelatedFieldListFilter):
    """The list of users by group, each group by its role's name."""

    def field_choices(self, field, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(group.pk, role_name(group)) for group in Group.objects.order_by("name")]


class StaffUserChangeForm(UserChangeForm):
    """A user with a group, a permission or superuser status gets staff status with it:
    without it, none of those lets them sign in to the staff site.

    Staff status taken away while any of those stays is refused instead: to keep
    someone out, untick "active" (Django's own advice) or take their roles away too.
    """

    gave_staff_status = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        if "is_staff" not in self.fields or cleaned_data.get("is_staff"):
            return cleaned_data
        if not (
            cleaned_data.get("groups")
            or cleaned_data.get("user_permissions")
            or cleaned_data.get("is_superuser")
        ):
            return cleaned_data
        if "is_staff" in self.changed_data:
            self.add_error(
                "is_staff",
                ValidationError(
                    _(
                        "A user with groups, permissions or superuser status needs staff "
                        "status to sign in. To keep this user out of the staff site, untick "
                        "“Active” instead, or take all of those away too."
                    ),
                    code="role_needs_staff",
                ),
            )
        else:
            cleaned_data["is_staff"] = True
            self.gave_staff_status = True
        return cleaned_data


class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    list_display = ("username", "roles", "email", "first_name", "last_name", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", RoleListFilter))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # One query for the groups of a whole page of users.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user: AbstractUser) -> str:
        return " / ".join(sorted(role_name(group) for group in user.groups.all())) or "—"

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        return label_choices(super().formfield_for_manytomany(db_field, request, **kwargs))

    def save_model(
        self, request: HttpRequest, obj: AbstractUser, form: forms.Form, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if getattr(form, "gave_staff_status", False):
            self.message_user(
                request,
                _(
                    "“%(user)s” was also given staff status: a user needs it to sign in "
                    "and use their groups and permissions."
                )
                % {"user": obj.get_username()},
                messages.INFO,
            )


class StaffGroupAdmin(GroupAdmin):
    list_display = ("name_shown",)
    # Breadcrumbs that end with the role's name (the subtitle).
    change_form_template = "admin/subtitled_change_form.html"

    @admin.display(description=_("name"), ordering="name")
    def name_shown(self, group: Group) -> str:
        return role_name(group)

    @admin.display(description=_("identifier (used by the system; cannot be changed)"))
    def identifier(self, group: Group) -> str:
        return group.name

    def get_fields(self, request: HttpRequest, obj: Group | None = None) -> list:
        if obj is not None and obj.name in ROLE_NAMES:
            # The roles' names are identifiers that code and documents rely on.
            return ["name_shown", "identifier", "permissions"]
        return ["name", "permissions"]

    def get_readonly_fields(self, request: HttpRequest, obj: Group | None = None) -> list:
        return ["name_shown", "identifier"]

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        return label_choices(super().formfield_for_manytomany(db_field, request, **kwargs))

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Group | None = None,
    ) -> HttpResponse:
        if obj is not None:
            context["subtitle"] = role_name(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


def label_choices(field: forms.Field | None) -> forms.Field | None:
    """Groups and permissions in a chooser, named as staff know them."""
    if isinstance(field, forms.ModelMultipleChoiceField) and field.queryset is not None:
        # This chooser's labels: Django lets label_from_instance be replaced, which
        # mypy refuses on a method.
        if field.queryset.model is Group:
            field.label_from_instance = role_name  # type: ignore[method-assign,assignment]
        elif field.queryset.model is Permission:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_name  # type: ignore[method-assign,assignment]
    return field


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The staff sign-in, saying why a right password is not enough.

    A wrong password, or an unknown user name, gets Django's message as before: only
    someone who knows the password learns that the account exists and what it lacks.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "inactive": _(
            "This account is switched off. If you still need it, ask a site "
            "administrator to make it active again."
        ),
        "not_staff": _(
            "This account may not use the staff site. Ask a site administrator to give "
            "it a role: Editor or Publisher."
        ),
    }

    def confirm_login_allowed(self, user: AbstractUser) -> None:
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not user.is_staff:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")

    def get_invalid_login_error(self) -> ValidationError:
        if self._inactive_with_this_password():
            return ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()

    @sensitive_variables("password")
    def _inactive_with_this_password(self) -> bool:
        """Whether the user name is an inactive account's and the password its own.

        Django's backend refuses an inactive account before saying whether the password
        was right. This checks it once more, on every refused sign-in alike (a password
        hash each time, as for an unknown name), so the time taken tells nothing. Never
        while django-axes is refusing this user name and address: the count of failures
        stands, and a guess learns nothing either way.
        """
        if getattr(self.request, "axes_locked_out", False):
            return False
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)
            return False
        return password is not None and user.check_password(password) and not user.is_active


# django-axes ships no Japanese catalog. The names it shows in the admin are listed
# here so that makemessages keeps them in this app's catalog, which translates them.
AXES_NAMES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("Path"),
    gettext_noop("POST Data"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
]


if TYPE_CHECKING:
    # What the mixin is mixed into, for the checker; a plain class at run time.
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class ThrottleRecordAdminMixin(_ModelAdmin):
    """django-axes' records titled in the staff's language: their own text is English."""

    change_form_template = "admin/subtitled_change_form.html"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            context["subtitle"] = _("%(username)s from %(address)s") % {
                "username": obj.username or "—",
                "address": obj.ip_address or "—",
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


class AccessAttemptAdmin(ThrottleRecordAdminMixin, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj: Model) -> str:
        return super().status(obj)


class AccessLogAdmin(ThrottleRecordAdminMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(ThrottleRecordAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass


def register(site: admin.AdminSite) -> None:
    """Users, groups and django-axes' records with the admins above, and the sign-in
    form."""
    for model, model_admin in (
        (get_user_model(), StaffUserAdmin),
        (Group, StaffGroupAdmin),
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ):
        # django-axes registers its own only when its setting says so.
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, model_admin)
    site.login_form = StaffAuthenticationForm
