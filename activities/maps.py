"""World maps drawn on the server as SVG, from Natural Earth's public-domain
country shapes (1:110m, as the npm package world-atlas publishes them) kept with
the project: no tile server, no request to another site.

``build`` turns world-atlas' TopoJSON into two files, made once (``manage.py
build_world_map``) and committed: ``static/maps/world.svg``, every country in
grey, the background of each map; and ``activities/data/world.json``, each
country's outline as SVG path data, keyed by its ISO 3166-1 alpha-2 code, for
the countries a map shades. Both are in the Natural Earth projection (as d3-geo's
geoNaturalEarth1), in the same coordinates (``VIEW_BOX``), so a venue's point is
placed with ``project``.

Who may see what: a map shows what the statistics page counts (published
activities only, activities/statistics.py), and the venues of those activities.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from django_countries import countries

DATA = Path(__file__).resolve().parent / "data" / "world.json"
BACKGROUND = Path(__file__).resolve().parent.parent / "static" / "maps" / "world.svg"
WIDTH = 1000
# The projection's extent: x within ±π·0.8707, y within about ±1.42 at the poles.
_X = math.pi * 0.8707
_Y = 1.4224
HEIGHT = round(WIDTH * _Y / _X)
VIEW_BOX = f"0 0 {WIDTH} {HEIGHT}"


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Degrees to the map's coordinates, in the Natural Earth projection."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return (x / _X + 1) * WIDTH / 2, (1 - y / _Y) * HEIGHT / 2


@functools.cache
def shapes() -> dict[str, str]:
    """Each country's SVG path data, by alpha-2 code."""
    return json.loads(DATA.read_text(encoding="utf-8"))["countries"]


def point(latitude, longitude) -> tuple[float, float] | None:
    """Where a venue is on the map, rounded; None without coordinates."""
    if latitude is None or longitude is None:
        return None
    x, y = project(float(longitude), float(latitude))
    return round(x, 1), round(y, 1)


# Countries shaded in four steps, as the themes' table (static/css/site.css).
SHADES = ("#dbe9f6", "#9ec5e8", "#1b5e96", "#0b3558")


def shade(count: int, most: int) -> str:
    return SHADES[max(0, -(-len(SHADES) * count // most) - 1)] if most else SHADES[0]


# -- made once, from world-atlas ---------------------------------------------------


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (quantized and delta-encoded in the file)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    # A ring across the antimeridian (Russia's east, Fiji) jumps from +180 to -180:
    # its part beyond is pressed onto the map's eastern edge. Antarctica's ring
    # closes along the bottom of the map, near the pole, and is left as it is.
    crosses = any(
        abs(a[0] - b[0]) > 180 and abs(a[1]) < 80 for a, b in zip(points, points[1:], strict=False)
    )
    if crosses:
        points = [(180.0 if lon < 0 else lon, lat) for lon, lat in points]
    return points


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data of rings, whole map units, relative steps, tiny rings left out."""
    parts = []
    for ring in rings:
        projected = [tuple(round(c) for c in project(lon, lat)) for lon, lat in ring]
        steps: list[tuple[int, int]] = []
        for point in projected:
            if not steps or point != steps[-1]:
                steps.append(point)  # type: ignore[arg-type]
        if len(steps) < 4:
            continue
        (x, y), rest = steps[0], steps[1:]
        moves = []
        for px, py in rest:
            moves.append(f"{px - x} {py - y}")
            x, y = px, py
        parts.append(f"M{steps[0][0]} {steps[0][1]}l" + " ".join(moves) + "z")
    return "".join(parts)


def build(topojson: Path) -> tuple[dict, str]:
    """(world.json's content, world.svg's text) from world-atlas' countries file."""
    topology = json.loads(topojson.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    outlines: dict[str, str] = {}
    every = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        path = _path(rings)
        if not path:
            continue
        every.append(path)
        code = countries.alpha2(geometry.get("id", "")) if geometry.get("id") else ""
        if code:
            outlines[code] = outlines.get(code, "") + path
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{VIEW_BOX}">'
        "<title>Natural Earth, 1:110m (public domain), through world-atlas</title>"
        f'<path fill="#e3e7ec" stroke="#ffffff" stroke-width="0.6" d="{"".join(every)}"/>'
        "</svg>\n"
    )
    source = "Natural Earth 1:110m countries (public domain), world-atlas 2.0.2 (ISC)"
    return {"source": source, "viewBox": VIEW_BOX, "countries": outlines}, svg
