"""Photos: what an upload must be, what is stored of it, and the renditions pages show.

Every photo file reaches storage through ``PhotoFieldFile.save()``: the admin's
forms, ``Photo.objects.create(image=...)``, ``photo.image.save(...)`` and the demo
loader alike. That method checks the upload (``check_upload``), decodes it, and
stores a re-encoded copy and its renditions (``prepare``): upright, converted to
sRGB, with no EXIF, XMP or GPS data, and nothing of what followed the image data
in the uploaded file. The uploaded bytes themselves are never stored.

The form field runs the same work while the form is validated, so a bad file is
a form error rather than a server error, and keeps the result on the uploaded
file for the save to use: each upload is processed once.

Files are written and deleted only through the field's storage, never through
paths on disk, so an S3-compatible storage backend works as well as the disk.

A photo chosen in a form that comes back with an error (another field's, or
another row's) is not lost: ``retain_uploads`` keeps its clean copy and a small
preview in storage under ``pending/``, and the form carries a signed reference
to them, valid for a day, instead of the file (``PhotoInput``). Saved with the
record, the pending files go; abandoned, ``remove_abandoned_uploads`` removes
them after a day.
"""

from __future__ import annotations

import datetime
import io
import logging
import posixpath
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

if TYPE_CHECKING:
    from activities.models import Photo

logger = logging.getLogger(__name__)

# What Pillow may call a file with each allowed extension. Cameras and phones
# write JPEGs with extra pictures inside (MPO); they are JPEG files all the same.
FORMATS_BY_EXTENSION = {
    "jpg": ("JPEG", "MPO"),
    "jpeg": ("JPEG", "MPO"),
    "png": ("PNG",),
    "webp": ("WEBP",),
}
# How error messages name each format.
FORMAT_LABELS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Only these decoders are ever run on an upload (Pillow's JPEG decoder opens MPO too).
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")

# Widths of the renditions, in pixels; a narrower photo gets one at its own width.
RENDITION_WIDTHS = (320, 640, 960, 1600)
# The longest side each encoder can write. WebP stores a side in 14 bits; libjpeg,
# which Pillow uses, refuses more than 65,500 pixels (JPEG_MAX_DIMENSION), though
# the format itself could say 65,535. PNG's limit (2^31 - 1) is far beyond the pixel cap.
MAX_SIDE = {"webp": 16_383, "jpg": 65_500, "png": 2**31 - 1}
# Every rendition exists in both WebP and JPEG, at one size.
RENDITION_MAX_SIDE = min(MAX_SIDE["webp"], MAX_SIDE["jpg"])
# The stored copy keeps the uploaded format, re-encoded from the pixels alone.
MASTER_ENCODINGS = {
    "JPEG": ("jpg", {"quality": 90}),
    "MPO": ("jpg", {"quality": 90}),
    "PNG": ("png", {}),
    "WEBP": ("webp", {"quality": 90}),
}
# Method 2 encodes twice as fast as the default 4, for files about the same size.
WEBP_OPTIONS = {"quality": 80, "method": 2}
JPEG_OPTIONS = {"quality": 82, "progressive": True}

SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Encoded:
    """One image file, ready to be stored."""

    content: bytes
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class PreparedPhoto:
    """What is stored of one upload: the clean copy and, per width, WebP and JPEG."""

    master: Encoded
    renditions: tuple[tuple[Encoded, Encoded], ...]


def max_upload_bytes() -> int:
    return settings.PHOTO_MAX_UPLOAD_BYTES


def max_pixels() -> int:
    return settings.PHOTO_MAX_PIXELS


def upload_help_text() -> str:
    return _(
        "A JPEG, PNG or WebP photo of at most %(size)s and %(megapixels)s megapixels. "
        "Location and camera data are removed when it is saved."
    ) % {"size": filesizeformat(max_upload_bytes()), "megapixels": _megapixels(max_pixels())}


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _extension(name: str) -> str:
    return posixpath.splitext(name or "")[1].lstrip(".").lower()


def check_upload(file: File, name: str | None = None) -> Image.Image:
    """The upload as a decoded image, or a ValidationError saying what is wrong.

    The cheap checks come first: the extension, the size, then the image's header
    (format and pixel count) before a single pixel is decoded, so a decompression
    bomb is refused without being unpacked. Only the JPEG, PNG and WebP decoders
    ever see the file.
    """
    name = posixpath.basename(name or file.name or "")
    extension = _extension(name)
    if extension not in FORMATS_BY_EXTENSION:
        raise ValidationError(
            _(
                "“%(name)s” is not a photo that can be uploaded: only JPEG, PNG and WebP "
                "files, ending in .jpg, .jpeg, .png or .webp, are accepted."
            ),
            code="extension",
            params={"name": name},
        )
    if file.size > max_upload_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s; a photo can be at most %(limit)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(file.size),
                "limit": filesizeformat(max_upload_bytes()),
            },
        )
    too_many_pixels = ValidationError(
        _(
            "“%(name)s” has more than %(megapixels)s megapixels. "
            "Make it smaller before uploading it."
        ),
        code="too_many_pixels",
        params={"name": name, "megapixels": _megapixels(max_pixels())},
    )
    expected = FORMAT_LABELS[FORMATS_BY_EXTENSION[extension][0]]
    unreadable = ValidationError(
        _("“%(name)s” is not a %(format)s image, or it is damaged."),
        code="unreadable",
        params={"name": name, "format": expected},
    )
    file.seek(0)
    try:
        image = Image.open(file, formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:
        # Pillow's own limit, far above ours: the header claims an absurd size.
        raise too_many_pixels from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for malformed headers
        raise unreadable from None
    if image.format not in FORMATS_BY_EXTENSION[extension]:
        raise ValidationError(
            _(
                "“%(name)s” is named as a %(expected)s file but holds a %(actual)s image. "
                "Save it again as %(expected)s, or correct the file name."
            ),
            code="format_mismatch",
            # An image opened from a file has a format (PIL: None only for one made in memory).
            params={"name": name, "expected": expected, "actual": FORMAT_LABELS[image.format]},  # type: ignore[index]
        )
    if image.width * image.height > max_pixels():
        raise too_many_pixels
    try:
        image.load()
    except Exception:  # noqa: BLE001 - a truncated or corrupt file fails in many ways
        raise unreadable from None
    return image


def prepare(file: File, name: str | None = None) -> PreparedPhoto:
    """Check the upload and encode what will be stored of it.

    The result is kept on the file object: the form validates an upload and the
    model saves it, and the work is done once. A photo that passed the checks but
    cannot be encoded is a ValidationError too, never an error page.
    """
    prepared = getattr(file, "_prepared_photo", None)
    if prepared is None:
        image = check_upload(file, name)
        try:
            prepared = encode(image)
        except Exception:  # encoders fail in many ways; none may become a server error
            name = posixpath.basename(name or file.name or "")
            logger.exception("Could not encode the photo %s (%dx%d)", name, *image.size)
            raise ValidationError(
                _(
                    "“%(name)s” could not be processed. Save it again as a JPEG "
                    "(or make it smaller) and upload it again."
                ),
                code="unprocessable",
                params={"name": name},
            ) from None
        # Kept on the upload, read back above with getattr().
        file._prepared_photo = prepared  # type: ignore[attr-defined]
    return prepared


def fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """``size`` scaled down to fit in ``box``, keeping its aspect ratio; at least
    1 pixel a side, and never enlarged."""
    width, height = size
    scale = min(box[0] / width, box[1] / height, 1)
    if scale == 1:
        return size
    return (
        min(box[0], max(1, round(width * scale))),
        min(box[1], max(1, round(height * scale))),
    )


def rendition_sizes(size: tuple[int, int]) -> list[tuple[int, int]]:
    """The renditions' sizes, largest first: each of ``RENDITION_WIDTHS`` (the
    photo's own width if narrower), scaled down further where a side would exceed
    what WebP or JPEG can hold. Targets that come out the same width are made once."""
    sizes: dict[int, tuple[int, int]] = {}
    for target in RENDITION_WIDTHS:
        fitted = fit(size, (min(target, size[0]), RENDITION_MAX_SIDE))
        sizes.setdefault(fitted[0], fitted)
    return sorted(sizes.values(), reverse=True)


def encode(image: Image.Image, *, clean_master: bytes | None = None) -> PreparedPhoto:
    """The stored copy and the renditions of a decoded upload. ``clean_master``:
    the upload is already a stored copy made here (a retained upload), kept as it
    is rather than encoded again."""
    # A decoded upload has a format (PIL: None only for an image made in memory).
    extension, options = MASTER_ENCODINGS[image.format]  # type: ignore[index]
    clean = _clean_pixels(image)
    if clean_master is not None:
        master = Encoded(clean_master, extension, clean.width, clean.height)
    else:
        # A decoded JPEG or WebP already fits its own encoder, and a PNG has no
        # practical limit; fitting here keeps the master writable if its format
        # ever changes.
        master_size = fit(clean.size, (MAX_SIDE[extension], MAX_SIDE[extension]))
        master = _encode(_resized(clean, master_size), extension, options)
    renditions = []
    source = clean
    # Largest first, each made from the one before: quicker than from the original
    # every time, with no visible loss at these ratios.
    for size in rendition_sizes(clean.size):
        source = _resized(source, size)
        renditions.append(
            (
                _encode(source, "webp", WEBP_OPTIONS),
                _encode(_without_alpha(source), "jpg", JPEG_OPTIONS),
            )
        )
    return PreparedPhoto(master=master, renditions=tuple(reversed(renditions)))


def _clean_pixels(image: Image.Image) -> Image.Image:
    """The picture as it should look, upright and in sRGB, and nothing else.

    Orientation is applied from EXIF; the colour profile is applied and dropped;
    EXIF, XMP, GPS, comments and text chunks are left behind with ``info``.
    """
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha else "RGB"
    icc_profile = upright.info.get("icc_profile")
    if upright.mode not in ("RGB", "RGBA", "CMYK", "L"):
        upright = upright.convert(mode)
    if icc_profile:
        upright = _to_srgb(upright, icc_profile, mode)
    if upright.mode != mode:
        upright = upright.convert(mode)
    # A new image holds no metadata at all, whatever a decoder put in ``info``.
    clean = Image.new(mode, upright.size)
    clean.paste(upright)
    return clean


def _to_srgb(image: Image.Image, icc_profile: bytes, mode: str) -> Image.Image:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return image
        # None only when converting in place, which this does not ask for.
        return ImageCms.profileToProfile(image, profile, SRGB, outputMode=mode)  # type: ignore[return-value]
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or unusable profile: the pixels are kept as they are.
        return image


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    # A reducing gap of 2 shrinks by whole factors first; Pillow documents it as
    # indistinguishable in most cases.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _without_alpha(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _encode(image: Image.Image, extension: str, options: dict) -> Encoded:
    buffer = io.BytesIO()
    pillow_format = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[extension]
    image.save(buffer, pillow_format, **options)
    return Encoded(buffer.getvalue(), extension, image.width, image.height)


def delete_files(storage: Storage, names: Iterable[str]) -> None:
    """Delete stored files; a file that cannot be deleted does not stop the others."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # storage backends raise their own kinds of error
            logger.exception("Could not delete the photo file %s", name)


# -- uploads kept while a form comes back with an error --------------------------

PENDING = "pending"
# How long a photo chosen in a form that came back with an error is kept.
RETAINED_SECONDS = 24 * 60 * 60
_SIGNING_SALT = "cityties.retained-photo"


class RetainedUpload(ContentFile):
    """A photo chosen earlier in this form, kept in storage (``retain``): read like
    a new upload, its clean copy is stored as it is."""

    def __init__(self, *, token: str, master: str, preview: str, filename: str) -> None:
        self.token, self.master, self.preview = token, master, preview
        with default_storage.open(master, "rb") as stored:
            super().__init__(stored.read(), name=filename)

    @property
    def preview_url(self) -> str:
        return default_storage.url(self.preview)

    def prepare(self) -> PreparedPhoto:
        prepared = getattr(self, "_prepared_photo", None)
        if prepared is None:
            image = check_upload(self, self.master)
            prepared = self._prepared_photo = encode(image, clean_master=self.read_all())
        return prepared

    def read_all(self) -> bytes:
        self.seek(0)
        return self.read()

    def discard_on_commit(self) -> None:
        """Remove the pending files once the record saved with them is committed."""
        transaction.on_commit(
            partial(delete_files, default_storage, [self.master, self.preview]), robust=True
        )

    @classmethod
    def from_token(cls, token: str) -> RetainedUpload:
        """The upload a token names; signing.BadSignature (or its subclass
        SignatureExpired, after RETAINED_SECONDS) if it names none."""
        data = signing.loads(token, salt=_SIGNING_SALT, max_age=RETAINED_SECONDS)
        try:
            return cls(token=token, **data)
        except (OSError, TypeError) as error:  # removed meanwhile, or not ours
            raise signing.BadSignature(str(error)) from error


def retain(upload: File, prepared: PreparedPhoto) -> str:
    """Keep a checked upload's clean copy and a small preview in storage, under
    names nobody can guess; the token that names them, signed."""
    _remove_abandoned_now_and_then()
    stem = f"{PENDING}/{secrets.token_hex(12)}"
    master = default_storage.save(
        f"{stem}.{prepared.master.extension}", ContentFile(prepared.master.content)
    )
    preview = default_storage.save(
        f"{stem}-preview.jpg", ContentFile(prepared.renditions[0][1].content)
    )
    filename = posixpath.basename(upload.name or master)
    return signing.dumps(
        {"master": master, "preview": preview, "filename": filename}, salt=_SIGNING_SALT
    )


def retain_uploads(form: forms.BaseForm) -> None:
    """For a bound form coming back with an error: keep each photo it was given
    that passed its own checks, so that the page offers it again. The form then
    carries the reference instead of the file."""
    for name, field in form.fields.items():
        if not isinstance(field, PhotoFormField):
            continue
        upload = getattr(form, "cleaned_data", {}).get(name)
        html_name = form.add_prefix(name)
        if not isinstance(upload, File) or html_name not in form.files:
            continue  # nothing new, a retained one already, or refused
        token = retain(upload, prepare(upload))
        # A bound form's data is a QueryDict (django-stubs: any mapping).
        data = cast(QueryDict, form.data).copy()
        data[f"{html_name}{RETAINED_SUFFIX}"] = token
        form.data = data
        form.files = form.files.copy()
        del form.files[html_name]


def remove_abandoned_uploads(*, older_than: datetime.timedelta | None = None) -> int:
    """Remove pending uploads older than a day (or ``older_than``): their forms
    were never saved. Returns how many files went."""
    if older_than is None:
        older_than = datetime.timedelta(seconds=RETAINED_SECONDS)
    cutoff = timezone.now() - older_than
    try:
        _, names = default_storage.listdir(PENDING)
    except FileNotFoundError:
        return 0
    stale = [
        f"{PENDING}/{name}"
        for name in names
        if default_storage.get_modified_time(f"{PENDING}/{name}") < cutoff
    ]
    delete_files(default_storage, stale)
    return len(stale)


_last_sweep = 0.0
_sweep_lock = threading.Lock()


def _remove_abandoned_now_and_then() -> None:
    """At most once an hour per process, while keeping a new upload: abandoned
    ones go even where no scheduled job runs ``remove_abandoned_uploads``."""
    global _last_sweep
    with _sweep_lock:
        if time.monotonic() - _last_sweep < 3600 and _last_sweep:
            return
        _last_sweep = time.monotonic()
    try:
        remove_abandoned_uploads()
    except Exception:  # storage backends raise their own kinds of error
        logger.exception("Could not remove abandoned uploads")


# -- the model field and its form field ---------------------------------------


class PhotoFieldFile(ImageFieldFile):
    """Stores a photo as it should be served, never as it was uploaded.

    Made for ``Photo``: saving sets the instance's ``width``, ``height`` and
    ``renditions`` as well as the image's name.
    """

    def save(self, name: str, content: File, save: bool = True) -> None:
        prepared = prepare(content, name)
        if isinstance(content, RetainedUpload):
            content.discard_on_commit()
        master = prepared.master
        # A random name: nothing of the uploaded file name is published, and the
        # photos of a draft cannot be guessed.
        stored = self.field.generate_filename(
            self.instance, f"{secrets.token_hex(8)}.{master.extension}"
        )
        written: list[str] = []
        try:
            self.name = self.storage.save(
                stored, ContentFile(master.content), max_length=self.field.max_length
            )
            written.append(self.name)
            stem = posixpath.splitext(self.name)[0]
            renditions: list[dict[str, int | str]] = []
            for webp, jpeg in prepared.renditions:
                entry: dict[str, int | str] = {"width": webp.width, "height": webp.height}
                for key, encoded in (("webp", webp), ("jpeg", jpeg)):
                    entry[key] = saved = self.storage.save(
                        f"{stem}-{encoded.width}.{encoded.extension}",
                        ContentFile(encoded.content),
                        max_length=self.field.max_length,
                    )
                    written.append(saved)
                renditions.append(entry)
        except BaseException:
            delete_files(self.storage, written)
            raise
        instance = cast("Photo", self.instance)
        instance.width, instance.height = master.width, master.height
        instance.renditions = renditions
        # Photo.save() deletes these after the commit if the row ends up elsewhere.
        instance.__dict__.setdefault("_photo_files_written", set()).update(written)
        # Bypass the descriptor, as Django's ImageFieldFile does.
        instance.__dict__[self.field.attname] = self.name
        self._committed = True
        if save:
            instance.save()


RETAINED_SUFFIX = "_retained"
EXPIRED = object()


class PhotoInput(forms.ClearableFileInput):
    """A file input that also offers the photo chosen before a form error: its
    preview, and its signed reference hidden beside the input."""

    template_name = "widgets/photo_input.html"

    def value_from_datadict(self, data, files, name: str):
        upload = super().value_from_datadict(data, files, name)
        token = data.get(f"{name}{RETAINED_SUFFIX}")
        if upload is not None or not token:
            return upload
        cache = self.__dict__.setdefault("_retained", {})
        if token not in cache:
            try:
                cache[token] = RetainedUpload.from_token(token)
            except signing.BadSignature:
                cache[token] = EXPIRED
        return cache[token]

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        if isinstance(value, RetainedUpload):
            context["widget"]["retained"] = value
            context["widget"]["retained_name"] = f"{name}{RETAINED_SUFFIX}"
            # The kept photo answers for the field: the browser must not ask for a file.
            context["widget"]["attrs"].pop("required", None)
        return context


class PhotoFormField(forms.ImageField):
    """An image upload checked as ``check_upload`` says, with clear errors."""

    default_validators = []
    widget: type[forms.Widget] = PhotoInput

    def bound_data(self, data, initial):
        # A file input shows no file again, but a kept photo is shown again.
        return data if isinstance(data, RetainedUpload) else super().bound_data(data, initial)

    def clean(self, data, initial=None):
        if data is EXPIRED:
            raise ValidationError(
                _(
                    "The photo chosen before was kept for a day only and has been removed. "
                    "Choose it again."
                ),
                code="retained_expired",
            )
        return super().clean(data, initial)

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            # The file picker offers what can be uploaded (and phones convert to it).
            attrs["accept"] = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
        return attrs

    def to_python(self, data: File | None) -> File | None:
        # forms.FileField's checks (a name, not empty); not forms.ImageField's,
        # which would open the file with every decoder Pillow has.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        if isinstance(upload, RetainedUpload):
            upload.prepare()
        else:
            prepare(upload)
        return upload


class MultiplePhotoWidget(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(PhotoFormField):
    """Several photos from one file input; each is checked as a single upload is."""

    widget = MultiplePhotoWidget

    def __init__(self, *, max_files: int, **kwargs) -> None:
        self.max_files = max_files
        kwargs.setdefault("help_text", upload_help_text())
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[File]:
        uploads = [upload for upload in (data or []) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_files:
            raise ValidationError(
                _("Choose at most %(max)d photos at a time."),
                code="too_many_files",
                params={"max": self.max_files},
            )
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                super().clean(upload, initial)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return uploads


class PhotoImageField(models.ImageField):
    """An ImageField whose files go through ``prepare`` on their way to storage.

    It has no ``width_field``/``height_field``: those make Django measure the file
    on every instance built from an unsaved upload, before any check has run.
    ``PhotoFieldFile`` sets the stored size instead.
    """

    attr_class = PhotoFieldFile
    default_validators = []

    # Django's keyword arguments (form_class...) come through **kwargs.
    def formfield(self, **kwargs: Any) -> forms.Field | None:  # type: ignore[override]
        # The limits come from settings, so the help text is made per form, not
        # stored with the model (and its migrations).
        defaults = {"form_class": PhotoFormField, "help_text": upload_help_text()}
        # Its own widget, in the admin too (which would give every image field its
        # AdminFileWidget): it offers again a photo kept after a form error.
        return super().formfield(**{**defaults, **kwargs, "widget": PhotoInput})

    def validate(self, value: PhotoFieldFile, model_instance: models.Model | None) -> None:
        """``full_clean()`` checks a new upload just as a form would."""
        super().validate(value, model_instance)
        if value and not value._committed:
            prepare(value.file, value.name)


# -- alt text -------------------------------------------------------------------

# A camera or phone file name (IMG_1234, DSC01234, PXL_2019...), a name with an
# image extension, or nothing but digits and separators (20190313_142233).
FILE_NAME_PATTERN = re.compile(
    r"""^\s*(
        (img|dsc[nf_]?|dscf|pxl|mvimg|gopr|dji|p\d{3}|_mg|mg|photo|image|screenshot)
            [\s_-]*\d[\w-]*
        | .*\.(jpe?g|png|webp|gif|heic|heif|tiff?|bmp|svg|avif)
        | [\d\s_.-]+
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def validate_alt_text(value: str) -> None:
    if value and FILE_NAME_PATTERN.match(value):
        raise ValidationError(
            _(
                "This looks like a file name. Describe what the photo shows, "
                "for someone who cannot see it."
            ),
            code="file_name",
        )
