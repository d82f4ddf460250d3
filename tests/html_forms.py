"""What a browser would post back from a page's form, read from the page's HTML.

Admin forms carry hidden fields (versions, fingerprints, inline management forms)
that a test should send back exactly as the page gave them, as a browser does.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Input types whose value a browser sends as it is.
_VALUE_TYPES = {
    "text",
    "hidden",
    "number",
    "email",
    "url",
    "date",
    "time",
    "datetime-local",
    "search",
    "tel",
    "password",
}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.done = False
        self.fields: dict[str, list[str]] = {}
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.in_option = False
        self.option_value: str | None = None
        self.option_selected = False
        self.option_text = ""
        self.textarea: str | None = None
        self.text = ""

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = {name: (value or "") for name, value in attrs}
        if tag == "form" and not self.done:
            self.inside = self.form_id is None or attr.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attr.get("name")
        if tag == "input" and name and "disabled" not in attr:
            kind = attr.get("type", "text").lower()
            if kind in _VALUE_TYPES:
                self.add(name, attr.get("value", ""))
            elif kind in ("checkbox", "radio") and "checked" in attr:
                self.add(name, attr.get("value", "on"))
        elif tag == "select" and name and "disabled" not in attr:
            self.select = (name, "multiple" in attr)
            self.options = []
        elif tag == "option" and self.select is not None:
            self.in_option = True
            self.option_value = dict(attrs).get("value")
            self.option_selected = "selected" in attr
            self.option_text = ""
        elif tag == "textarea" and name and "disabled" not in attr:
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data
        elif self.in_option:
            self.option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "option" and self.in_option:
            value = self.option_value if self.option_value is not None else self.option_text.strip()
            self.options.append((value, self.option_selected))
            self.in_option = False
        elif tag == "select" and self.select is not None:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            for value in chosen:
                self.add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops one newline right after <textarea>.
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None


def form_data(page: str, form_id: str | None = None) -> dict[str, list[str]]:
    """The fields of the form with this id (or the first form), as a browser would
    submit them unchanged: every value a list, for Django's test client."""
    reader = _FormReader(form_id)
    reader.feed(page)
    return reader.fields
