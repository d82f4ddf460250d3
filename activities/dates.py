"""Dates as the archive shows them: Japanese era (和暦) with the weekday in
Japanese, day-month-year in English. The weekday is always computed from the
date — a hand-edited page gets it wrong (the seed page calls 25 October 2018 a
Friday; it was a Thursday); a computed one cannot.

    令和2年2月28日(金曜日)            28 February 2020 (Fri)
    平成30年10月22日(月曜日)～25日(木曜日)   22–25 October 2018
    令和2年（2020年）                  2020

Eras begin on the day the new era took effect in the Gregorian calendar:
Heisei on 1989-01-08, Reiwa on 2019-05-01. Meiji is counted from 1868-01-25,
the first day of Meiji 1 in the lunisolar calendar then in use; before that
the Western year is shown alone. An era's first year is 元年.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils.translation import get_language

JA_WEEKDAYS = "月火水木金土日"
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Era(NamedTuple):
    name: str
    start: datetime.date


# Newest first, so the first era that has started is the date's era.
ERAS = (
    Era("令和", datetime.date(2019, 5, 1)),
    Era("平成", datetime.date(1989, 1, 8)),
    Era("昭和", datetime.date(1926, 12, 25)),
    Era("大正", datetime.date(1912, 7, 30)),
    Era("明治", datetime.date(1868, 1, 25)),
)


def era_of(day: datetime.date) -> tuple[str, int] | None:
    """(era name, year of the era), or None before Meiji."""
    for era in ERAS:
        if day >= era.start:
            return era.name, day.year - era.start.year + 1
    return None


def ja_year(day: datetime.date) -> str:
    """令和2年, 令和元年, or 1850年 before Meiji."""
    era = era_of(day)
    if era is None:
        return f"{day.year}年"
    name, year = era
    return f"{name}{'元' if year == 1 else year}年"


def _is_english() -> bool:
    return (get_language() or "ja").startswith("en")


def ja_weekday(day: datetime.date) -> str:
    return f"({JA_WEEKDAYS[day.weekday()]}曜日)"


def ja_date(day: datetime.date) -> str:
    return f"{ja_year(day)}{day.month}月{day.day}日{ja_weekday(day)}"


def en_date(day: datetime.date) -> str:
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year} ({EN_WEEKDAYS[day.weekday()]})"


def format_date(day: datetime.date) -> str:
    """令和2年2月28日(金曜日) / 28 February 2020 (Fri)."""
    return en_date(day) if _is_english() else ja_date(day)


def ja_range(start: datetime.date, end: datetime.date) -> str:
    """Leave out what the end shares with the start, but never the era year
    when it differs: 平成31年4月30日(火曜日)～令和元年5月1日(水曜日)."""
    if ja_year(start) != ja_year(end):
        tail = ja_date(end)
    elif start.month != end.month:
        tail = f"{end.month}月{end.day}日{ja_weekday(end)}"
    else:
        tail = f"{end.day}日{ja_weekday(end)}"
    return f"{ja_date(start)}～{tail}"


def en_range(start: datetime.date, end: datetime.date) -> str:
    """22–25 October 2018; 30 October – 2 November 2019; 30 December 2018 – 2 January 2019."""
    if start.year != end.year:
        return (
            f"{start.day} {EN_MONTHS[start.month - 1]} {start.year} – "
            f"{end.day} {EN_MONTHS[end.month - 1]} {end.year}"
        )
    if start.month != end.month:
        return (
            f"{start.day} {EN_MONTHS[start.month - 1]} – "
            f"{end.day} {EN_MONTHS[end.month - 1]} {end.year}"
        )
    return f"{start.day}–{end.day} {EN_MONTHS[end.month - 1]} {end.year}"


def format_range(start: datetime.date, end: datetime.date | None) -> str:
    """A single day, or a range from start to end."""
    if end is None or end == start:
        return format_date(start)
    return en_range(start, end) if _is_english() else ja_range(start, end)


def format_month(day: datetime.date) -> str:
    """令和2年2月 / February 2020: the archive's section headings."""
    if _is_english():
        return f"{EN_MONTHS[day.month - 1]} {day.year}"
    return f"{ja_year(day)}{day.month}月"


def format_year(year: int, *, fiscal: bool = False) -> str:
    """令和2年（2020年） / 2020: where visitors scan by year.

    A year in which the era changed names both: 平成31年・令和元年（2019年）.
    A fiscal year (年度, April to March) is named by the era of its April:
    令和元年度（2019年度） / FY2019.
    """
    if _is_english():
        return f"FY{year}" if fiscal else str(year)
    if fiscal:
        april = datetime.date(year, 4, 1)
        if era_of(april) is None:
            return f"{year}年度"
        # April 2019 was still Heisei, but the fiscal year is called 令和元年度:
        # the era in force for most of it, as the city itself writes it.
        most = datetime.date(year, 10, 1)
        return f"{ja_year(most).removesuffix('年')}年度（{year}年度）"
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if era_of(last) is None:
        return f"{year}年"
    eras = dict.fromkeys(
        ja_year(day)
        for day in (first, *(era.start for era in ERAS if era.start.year == year), last)
        if era_of(day) is not None
    )
    return f"{'・'.join(eras)}（{year}年）"
