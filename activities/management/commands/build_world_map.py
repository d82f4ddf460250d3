"""Writes the world maps' files from world-atlas' TopoJSON of Natural Earth's
countries (activities/maps.py): `make world-map` fetches the package and runs
this; the files are committed, so nothing is fetched to serve a map."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities import maps


class Command(BaseCommand):
    help = "Write static/maps/world.svg and activities/data/world.json from world-atlas."

    def add_arguments(self, parser) -> None:
        parser.add_argument("countries", type=Path, help="world-atlas' countries-110m.json")

    def handle(self, *args, countries: Path, **options) -> None:
        if not countries.is_file():
            raise CommandError(f"No file at {countries}")
        data, svg = maps.build(countries)
        maps.DATA.parent.mkdir(parents=True, exist_ok=True)
        maps.DATA.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
        maps.BACKGROUND.parent.mkdir(parents=True, exist_ok=True)
        maps.BACKGROUND.write_text(svg)
        sizes = {path: path.stat().st_size for path in (maps.DATA, maps.BACKGROUND)}
        written = ", ".join(f"{path} ({size:,} bytes)" for path, size in sizes.items())
        self.stdout.write(f"{len(data['countries'])} countries: {written}")
