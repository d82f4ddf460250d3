"""Dates as the archive shows them, with the weekday computed from the date.

A hand-edited page gets weekdays wrong (the seed page gives 25 October 2018 as
a Friday; it was a Thursday); a computed one cannot.
"""

from __future__ import annotations

import datetime

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


def _is_english() -> bool:
    return (get_language() or "ja").startswith("en")


def ja_weekday(day: datetime.date) -> str:
    return f"({JA_WEEKDAYS[day.weekday()]}曜日)"


def format_date(day: datetime.date) -> str:
    """28 February 2020 (Fri) / 2020年2月28日(金曜日)."""
    if _is_english():
        return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year} ({EN_WEEKDAYS[day.weekday()]})"
    return f"{day.year}年{day.month}月{day.day}日{ja_weekday(day)}"


def format_range(start: datetime.date, end: datetime.date | None) -> str:
    """A single day, or a range that does not repeat what the two ends share.

    2018年10月22日(月曜日)～25日(木曜日) / 22–25 October 2018.
    """
    if end is None or end == start:
        return format_date(start)
    if _is_english():
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {EN_MONTHS[end.month - 1]} {end.year}"
        if start.year == end.year:
            return (
                f"{start.day} {EN_MONTHS[start.month - 1]} – "
                f"{end.day} {EN_MONTHS[end.month - 1]} {end.year}"
            )
        return f"{start.day} {EN_MONTHS[start.month - 1]} {start.year} – " + (
            f"{end.day} {EN_MONTHS[end.month - 1]} {end.year}"
        )
    if (start.year, start.month) == (end.year, end.month):
        tail = f"{end.day}日{ja_weekday(end)}"
    elif start.year == end.year:
        tail = f"{end.month}月{end.day}日{ja_weekday(end)}"
    else:
        tail = f"{end.year}年{end.month}月{end.day}日{ja_weekday(end)}"
    return f"{format_date(start)}～{tail}"


def format_month(day: datetime.date) -> str:
    """February 2020 / 2020年2月: the archive's section headings."""
    if _is_english():
        return f"{EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月"
