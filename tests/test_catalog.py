"""The words on the forms: no two fields of one form share a label, in either
language; the English catalog says what the source says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from activities.filters import ActivityFilter

pytestmark = pytest.mark.django_db

CATALOG = Path(__file__).resolve().parent.parent / "activities/locale/en/LC_MESSAGES/django.po"


def duplicates(labels: list[str]) -> set[str]:
    return {label for label in labels if labels.count(label) > 1}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_archive_filter_has_a_label_per_field(language):
    with translation.override(language):
        form = ActivityFilter().form
        labels = [str(field.label) for field in form.fields.values()]
    assert duplicates(labels) == set(), labels


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_staff_form_has_a_label_per_field(admin_user, language):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    found = {}
    with translation.override(language):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label != "activities":
                continue
            form = model_admin.get_form(request)()
            labels = [str(field.label) for field in form.fields.values()]
            if duplicates(labels):
                found[model.__name__] = duplicates(labels)
    assert found == {}


def test_the_english_catalog_says_what_the_source_says():
    """The source strings are English: an English entry that reads otherwise is a
    stale guess (「Years as」 had read “Year”)."""
    wrong = []
    for entry in CATALOG.read_text(encoding="utf-8").split("\n\n"):
        if "msgid_plural" in entry:
            continue
        parts = [
            "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
            for block in re.findall(r"^msg(?:id|str) ((?:\".*\"\n?)+)", entry, re.M)
        ]
        if len(parts) == 2 and all(parts) and parts[0] != parts[1]:
            wrong.append(parts)
    assert wrong == []
