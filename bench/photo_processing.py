"""How long one photo upload takes to process: checks, re-encoding, renditions.

    DJANGO_DEBUG=1 .venv/bin/python bench/photo_processing.py [--runs 7] [--megapixels 12]

Makes a 4000x3000 (12-megapixel) JPEG the way a phone does — photographic
detail, EXIF orientation, GPS and camera data — then times ``images.prepare``
on it several times and prints each run and the median, in wall-clock and CPU
time (the CPU time is steadier on a busy machine). Writing the files to storage
is timed separately, into a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402
from PIL import ExifTags, Image, ImageFilter  # noqa: E402

from activities import images  # noqa: E402


def say(line: str) -> None:
    sys.stdout.write(f"{line}\n")


def phone_jpeg(width: int, height: int) -> bytes:
    """A JPEG with the detail and size of a phone photo (a few megabytes)."""
    noise = Image.effect_noise((width // 4, height // 4), 60).resize((width, height))
    red = Image.linear_gradient("L").resize((width, height))
    blue = Image.effect_mandelbrot((width, height), (-2.0, -1.2, 1.0, 1.2), 60)
    image = Image.merge("RGB", (red, noise, blue)).filter(ImageFilter.DETAIL)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (35.0, 51.0, 40.0)}
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--megapixels", type=float, default=12)
    args = parser.parse_args()
    width = round((args.megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = round(width * 3 / 4)
    data = phone_jpeg(width, height)
    say(f"{width}x{height} JPEG, {len(data) / 1_000_000:.1f} MB; {os.cpu_count()} CPUs")

    timings, cpu_timings, store_timings = [], [], []
    for run in range(1, args.runs + 1):
        upload = ContentFile(data, name="IMG_0001.JPG")
        started, cpu_started = time.perf_counter(), time.process_time()
        prepared = images.prepare(upload)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
        with tempfile.TemporaryDirectory() as folder:
            storage = FileSystemStorage(location=folder)
            started = time.perf_counter()
            storage.save("photo.jpg", ContentFile(prepared.master.content))
            for webp, jpeg in prepared.renditions:
                storage.save(f"photo-{webp.width}.webp", ContentFile(webp.content))
                storage.save(f"photo-{jpeg.width}.jpg", ContentFile(jpeg.content))
            store_timings.append(time.perf_counter() - started)
        say(
            f"run {run}: {timings[-1]:.3f} s processing ({cpu_timings[-1]:.3f} s CPU), "
            f"{store_timings[-1]:.3f} s writing"
        )
    sizes = ", ".join(f"{webp.width}" for webp, _ in prepared.renditions)
    say(f"renditions: {sizes} px wide, WebP and JPEG")
    say(
        f"median: {statistics.median(timings):.3f} s processing "
        f"({statistics.median(cpu_timings):.3f} s CPU), "
        f"{statistics.median(store_timings):.3f} s writing to disk"
    )


if __name__ == "__main__":
    main()
