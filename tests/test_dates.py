"""The era module against a table of dates and ranges."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from activities import dates

D = datetime.date

DAYS = [
    # date, Japanese, English
    (D(2020, 2, 28), "令和2年2月28日(金曜日)", "28 February 2020 (Fri)"),
    (D(2019, 10, 30), "令和元年10月30日(水曜日)", "30 October 2019 (Wed)"),
    (D(2019, 5, 1), "令和元年5月1日(水曜日)", "1 May 2019 (Wed)"),
    (D(2019, 4, 30), "平成31年4月30日(火曜日)", "30 April 2019 (Tue)"),
    (D(2019, 3, 13), "平成31年3月13日(水曜日)", "13 March 2019 (Wed)"),
    (D(2020, 1, 1), "令和2年1月1日(水曜日)", "1 January 2020 (Wed)"),
    (D(2018, 10, 25), "平成30年10月25日(木曜日)", "25 October 2018 (Thu)"),
    (D(2013, 7, 21), "平成25年7月21日(日曜日)", "21 July 2013 (Sun)"),
    (D(1989, 1, 8), "平成元年1月8日(日曜日)", "8 January 1989 (Sun)"),
    (D(1989, 1, 7), "昭和64年1月7日(土曜日)", "7 January 1989 (Sat)"),
    (D(1990, 1, 1), "平成2年1月1日(月曜日)", "1 January 1990 (Mon)"),
    (D(1926, 12, 25), "昭和元年12月25日(土曜日)", "25 December 1926 (Sat)"),
    (D(1926, 12, 24), "大正15年12月24日(金曜日)", "24 December 1926 (Fri)"),
    (D(1912, 7, 30), "大正元年7月30日(火曜日)", "30 July 1912 (Tue)"),
    (D(1912, 7, 29), "明治45年7月29日(月曜日)", "29 July 1912 (Mon)"),
    (D(1868, 1, 25), "明治元年1月25日(土曜日)", "25 January 1868 (Sat)"),
    (D(1868, 1, 24), "1868年1月24日(金曜日)", "24 January 1868 (Fri)"),
    (D(2024, 2, 29), "令和6年2月29日(木曜日)", "29 February 2024 (Thu)"),
    (D(2000, 12, 31), "平成12年12月31日(日曜日)", "31 December 2000 (Sun)"),
]

RANGES = [
    # start, end, Japanese, English
    (
        D(2018, 10, 22),
        D(2018, 10, 25),
        "平成30年10月22日(月曜日)～25日(木曜日)",
        "22–25 October 2018",
    ),
    (
        D(2013, 8, 31),
        D(2013, 9, 2),
        "平成25年8月31日(土曜日)～9月2日(月曜日)",
        "31 August – 2 September 2013",
    ),
    (
        D(2017, 6, 4),
        D(2017, 6, 6),
        "平成29年6月4日(日曜日)～6日(火曜日)",
        "4–6 June 2017",
    ),
    (
        D(2018, 12, 30),
        D(2019, 1, 2),
        "平成30年12月30日(日曜日)～平成31年1月2日(水曜日)",
        "30 December 2018 – 2 January 2019",
    ),
    (
        D(2019, 4, 30),
        D(2019, 5, 1),
        "平成31年4月30日(火曜日)～令和元年5月1日(水曜日)",
        "30 April – 1 May 2019",
    ),
    (
        D(1989, 1, 6),
        D(1989, 1, 9),
        "昭和64年1月6日(金曜日)～平成元年1月9日(月曜日)",
        "6–9 January 1989",
    ),
    (
        D(2019, 12, 31),
        D(2020, 1, 1),
        "令和元年12月31日(火曜日)～令和2年1月1日(水曜日)",
        "31 December 2019 – 1 January 2020",
    ),
    (D(2020, 2, 28), D(2020, 2, 28), "令和2年2月28日(金曜日)", "28 February 2020 (Fri)"),
    (D(2020, 2, 28), None, "令和2年2月28日(金曜日)", "28 February 2020 (Fri)"),
    (
        D(2019, 10, 30),
        D(2019, 11, 2),
        "令和元年10月30日(水曜日)～11月2日(土曜日)",
        "30 October – 2 November 2019",
    ),
]

MONTHS = [
    (D(2020, 2, 1), "令和2年2月", "February 2020"),
    (D(2019, 5, 1), "令和元年5月", "May 2019"),
    (D(2019, 4, 1), "平成31年4月", "April 2019"),
    (D(2018, 10, 1), "平成30年10月", "October 2018"),
    (D(1989, 1, 1), "昭和64年1月", "January 1989"),
]

YEARS = [
    (2020, "令和2年（2020年）", "2020"),
    (2018, "平成30年（2018年）", "2018"),
    (2019, "平成31年・令和元年（2019年）", "2019"),
    (1989, "昭和64年・平成元年（1989年）", "1989"),
    (2013, "平成25年（2013年）", "2013"),
    (1850, "1850年", "1850"),
]


@pytest.mark.parametrize(("day", "ja", "en"), DAYS, ids=[str(d[0]) for d in DAYS])
def test_date(day, ja, en):
    with translation.override("ja"):
        assert dates.format_date(day) == ja
    with translation.override("en"):
        assert dates.format_date(day) == en


@pytest.mark.parametrize(
    ("start", "end", "ja", "en"), RANGES, ids=[f"{r[0]}..{r[1]}" for r in RANGES]
)
def test_range(start, end, ja, en):
    with translation.override("ja"):
        assert dates.format_range(start, end) == ja
    with translation.override("en"):
        assert dates.format_range(start, end) == en


@pytest.mark.parametrize(("day", "ja", "en"), MONTHS, ids=[str(m[0]) for m in MONTHS])
def test_month_heading(day, ja, en):
    with translation.override("ja"):
        assert dates.format_month(day) == ja
    with translation.override("en"):
        assert dates.format_month(day) == en


@pytest.mark.parametrize(("year", "ja", "en"), YEARS, ids=[str(y[0]) for y in YEARS])
def test_year_label(year, ja, en):
    with translation.override("ja"):
        assert dates.format_year(year) == ja
    with translation.override("en"):
        assert dates.format_year(year) == en


FISCAL_YEARS = [
    (2019, "令和元年度（2019年度）", "FY2019"),
    (2018, "平成30年度（2018年度）", "FY2018"),
    (2020, "令和2年度（2020年度）", "FY2020"),
    (1988, "昭和63年度（1988年度）", "FY1988"),
    (1850, "1850年度", "FY1850"),
]


@pytest.mark.parametrize(("year", "ja", "en"), FISCAL_YEARS, ids=[str(y[0]) for y in FISCAL_YEARS])
def test_fiscal_year_label(year, ja, en):
    with translation.override("ja"):
        assert dates.format_year(year, fiscal=True) == ja
    with translation.override("en"):
        assert dates.format_year(year, fiscal=True) == en
