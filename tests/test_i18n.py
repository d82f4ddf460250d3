"""The Japanese UI is complete: every string translated, the compiled catalog
current, and no English UI string left on a Japanese page."""

from __future__ import annotations

import ast
import gettext
import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "activities" / "locale"
CATALOG = LOCALE / "ja" / "LC_MESSAGES"


def po_entries(lang: str = "ja") -> list[dict]:
    """(msgid, msgid_plural, msgstrs, flags) of each entry of a .po file."""
    entries = []
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": "", "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) (".*")$', line)
            if match:
                key = match.group(1)
                value = ast.literal_eval(match.group(2))
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)
                else:
                    entry[key] = value
            elif line.startswith('"') and key:
                value = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_catalog_has_no_empty_or_fuzzy_entries(lang):
    entries = po_entries(lang)
    assert len(entries) > 150
    assert [e["msgid"] for e in entries if not all(e["msgstr"]) or "fuzzy" in e["flags"]] == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_compiled_catalog_matches_the_source(lang):
    with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in po_entries(lang)
        if "msgid_plural" not in e and compiled.gettext(e["msgid"]) != e["msgstr"][0]
    ]
    assert stale == [], "run `make messages` and commit the .mo"


def test_both_catalogs_have_the_same_strings():
    assert {e["msgid"] for e in po_entries("ja")} == {e["msgid"] for e in po_entries("en")}


def visible_text(html: str, *, other_lang: str | None = None) -> str:
    """The page's text, without scripts, styles and fragments marked as being in
    ``other_lang`` (the language switch names each language in itself)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    if other_lang:
        html = re.sub(rf'<(\w+)[^>]*\blang="{other_lang}"[^>]*>.*?</\1>', " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"https?://\S+", " ", text)


@pytest.mark.django_db
def test_japanese_pages_show_no_english_ui_strings(client, admin_client):
    call_command("load_demo", stdout=StringIO())
    english = {
        e["msgid"]
        for e in po_entries()
        if "%(" not in e["msgid"] and e["msgid"] != e["msgstr"][0] and len(e["msgid"]) > 3
    }
    pages = [
        "/ja/",
        "/ja/activities/",
        "/ja/activities/?year=2018&partner=iclei&theme=nope",
        "/ja/activities/2018-10-22-renewable-energy-conference-basel-freiburg/",
        "/ja/activities/2019-10-30-iclei-japan-courtesy-call/",
        "/ja/partners/",
        "/ja/partners/mofa/",
        "/ja/themes/decarbonization/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode(), other_lang="en")
        found = sorted(s for s in english if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text))
        assert found == [], f"{url} shows untranslated UI text {found}"
    text = visible_text(admin_client.get("/admin/activities/activity/add/").content.decode())
    assert "活動" in text and "当時の役職" in text and "公開" in text


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.django_db
def test_english_pages_show_no_japanese_ui_strings(client):
    """The demo archive is fully translated, so on /en/ any Japanese UI text
    would be an untranslated string."""
    call_command("load_demo", stdout=StringIO())
    japanese_ui = {
        e["msgstr"][0]
        for e in po_entries("ja")
        if "%(" not in e["msgstr"][0] and JAPANESE.search(e["msgstr"][0])
    }
    pages = [
        "/en/",
        "/en/activities/",
        "/en/activities/?year=2018&partner=iclei&theme=nope",
        "/en/activities/?q=ICLEI",
        "/en/activities/2018-10-22-renewable-energy-conference-basel-freiburg/",
        "/en/activities/2019-10-30-iclei-japan-courtesy-call/",
        "/en/partners/",
        "/en/partners/mofa/",
        "/en/themes/decarbonization/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode(), other_lang="ja")
        assert not JAPANESE.search(text), f"{url}: {JAPANESE.findall(text)[:20]}"
        found = sorted(s for s in japanese_ui if s in text)
        assert found == [], f"{url} shows Japanese UI text {found}"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_demo_activity_shows_its_dates_with_the_computed_weekday(client, lang):
    from django.utils import translation

    from activities import dates
    from activities.models import Activity

    call_command("load_demo", stdout=StringIO())
    for activity in Activity.objects.all():
        body = client.get(f"/{lang}/activities/{activity.slug}/").content.decode()
        with translation.override(lang):
            expected = dates.format_range(activity.start_date, activity.end_date)
        assert expected in body, (activity.slug, expected)
