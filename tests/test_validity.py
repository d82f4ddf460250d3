"""Valid HTML: the Nu Html Checker (vnu.jar, the W3C's checker, which `make test`
installs from the npm registry and runs on Java) reads the public pages as the
site serves them, in both languages: no errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

VNU = Path(os.environ.get("VNU_JAR", ".venv/vnu-26.9.27/node_modules/vnu-jar/build/dist/vnu.jar"))
RECORD = "activities/2018-10-22-renewable-energy-conference-basel-freiburg/"

PAGES = [
    *(
        f"/{language}/{path}"
        for language in ("ja", "en")
        for path in (
            "",
            "activities/",
            "activities/?partner=iclei&theme=decarbonization",
            RECORD,  # with its locator map
            "statistics/",
            "statistics/?calendar=fiscal&partner=iclei",
            "partners/",
            "partners/iclei/",
            "themes/",
            "themes/decarbonization/",
            "open-data/",
            "no-such-page/",
        )
    ),
]


def test_the_public_pages_are_valid_html(client, tmp_path):
    assert VNU.is_file(), f"the Nu Html Checker is missing at {VNU}: `make test` installs it"
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs it"
    call_command("load_demo", stdout=StringIO())
    files = {}
    for number, path in enumerate(PAGES):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        page = tmp_path / f"page-{number}.html"
        page.write_bytes(response.content)
        files[page.name] = path
    # A page that is not valid, checked with them: the checker did read the files.
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><html lang=en><title>x</title><p><li>item</p></html>")
    pages = sorted(str(page) for page in tmp_path.glob("*.html"))
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *pages],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    messages = json.loads(checked.stderr)["messages"]
    # vnu names each file by its URL (file:/tmp/…/page-3.html).
    errors = [
        (m.get("url", "").rsplit("/", 1)[-1], m.get("lastLine"), m["message"])
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert any(name == broken.name for name, _line, _text in errors), "the checker found nothing"
    found = [f"{files.get(name, name)}:{line}: {text}" for name, line, text in errors]
    assert [e for e in found if not e.startswith(broken.name)] == []
