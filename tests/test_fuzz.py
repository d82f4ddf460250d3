"""Random query strings against every public view: never a server error.

Hypothesis builds each query string from parameter names the site reads and
random ones, values that are plausible, numeric extremes, random text (NUL and
control characters included), raw bytes percent-encoded (mostly invalid UTF-8)
and query-string syntax left unencoded. FUZZ_EXAMPLES sets the number of examples
per view (default 1,000, as in CI).
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import public_urls
from tests.public_urls import PARAMETERS, PUBLIC_URLS

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))

# One URL per view; the language prefix is drawn for each example instead.
VIEWS = [url for url in PUBLIC_URLS if not url.name.endswith("-en")]

PLAUSIBLE = [
    "",
    "2019",
    "2020",
    str(public_urls.DRAFT_YEAR),
    public_urls.PARTNER,
    public_urls.DIVISION,
    public_urls.DRAFT_PARTNER,
    public_urls.THEME,
    public_urls.DRAFT_THEME,
    "national-government",
    "meeting",
    "membership",
    "DE",
    "JP",
    "FR",
    "fiscal",
    "1",
    "2",
    "イクレイ",
    "ICLEI OR 1=1",
    '"ICLEI',
    "-ICLEI",
    "*",
    "x" * 5000,
]
SYNTAX = " \"'%&=+*-~()<>;:\\/?#[]{}|^`\x00\t\r\n"

names = st.one_of(
    st.sampled_from(PARAMETERS),
    st.sampled_from(["status", "o", "sort", "format", "lang", "next", "calendar", "e", "p"]),
    st.text(max_size=12),
)
values = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=60),
    st.text(alphabet=SYNTAX, max_size=20),
)


def percent_bytes(data: bytes) -> str:
    return "".join(f"%{byte:02X}" for byte in data)


@st.composite
def pairs(draw: st.DrawFn) -> str:
    name, value = draw(names), draw(values)
    how = draw(st.sampled_from(["quoted", "quoted", "raw", "bytes"]))
    if how == "quoted":
        return f"{quote(name, safe='')}={quote(value, safe='')}"
    if how == "bytes":
        return f"{quote(name, safe='')}={percent_bytes(draw(st.binary(max_size=24)))}"
    # Unencoded, as a hand-edited or hostile URL arrives; '#' ends the query there.
    return f"{name}={value}"


query_strings = st.builds(
    lambda parts, separator: separator.join(parts),
    st.lists(pairs(), max_size=6),
    st.sampled_from(["&", "&", ";", "&&"]),
)


@pytest.mark.parametrize("url", VIEWS, ids=str)
def test_random_query_strings_never_cause_a_server_error(client, url) -> None:
    public_urls.make_dataset()
    tried: list[str] = []

    # The fixtures are made once per view, outside the examples: requests only read.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=query_strings, language=st.sampled_from(["ja", "en"]))
    def check(query: str, language: str) -> None:
        path = url.path.replace("/ja/", f"/{language}/", 1)
        tried.append(query)
        response = client.get(f"{path}?{query}")
        public_urls.body_of(response)
        assert response.status_code < 500, f"{path}?{query[:300]}"

    check()
    # Hypothesis stops early if it runs out of new inputs; these never run out.
    assert len(tried) >= EXAMPLES
