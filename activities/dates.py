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

parse_date() reads a date as Japanese staff type it, with the same eras:
2021/11/1, 2021年11月1日, 令和3年11月1日, R3.11.1, in full-width characters too.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from typing import NamedTuple

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

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
    # The initial government documents abbreviate it to (R3.11.1).
    letter: str


# Newest first, so the first era that has started is the date's era.
ERAS = (
    Era("令和", datetime.date(2019, 5, 1), "R"),
    Era("平成", datetime.date(1989, 1, 8), "H"),
    Era("昭和", datetime.date(1926, 12, 25), "S"),
    Era("大正", datetime.date(1912, 7, 30), "T"),
    Era("明治", datetime.date(1868, 1, 25), "M"),
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


def ja_day(day: datetime.date) -> str:
    """令和2年2月28日, or 1850年1月1日 before Meiji."""
    return f"{ja_year(day)}{day.month}月{day.day}日"


def ja_date(day: datetime.date) -> str:
    return f"{ja_day(day)}{ja_weekday(day)}"


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


# --- Reading a date as staff type it -------------------------------------------------

ACCEPTED_FORMS = _(
    "Enter the date as year, month and day, for example 2021/11/1, 2021-11-01, "
    "2021年11月1日, 令和3年11月1日 or R3.11.1 (full-width characters are fine)."
)

# Dashes that an input method or a pasted document puts between numbers, and that
# NFKC leaves as they are (it already turns the full-width "－" into "-").
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))

# Matched after NFKC, which turns full-width digits, letters and punctuation, the
# ideographic space and the one-character era signs (㋿, ㍻) into their plain forms.
_DATE = re.compile(
    r"""
    (?:(?P<era>[^\W\d_]+)\s*)?                  # 令和, 令 or R; none for a Western year
    (?P<year>[0-9]{1,4}|元)
    (?:
        \s*年\s*(?P<kanji_month>[0-9]{1,4})\s*月\s*(?P<kanji_day>[0-9]{1,4})\s*日?
      | \s*[-/.]\s*(?P<month>[0-9]{1,4})\s*[-/.]\s*(?P<day>[0-9]{1,4})
    )
    (?:\s*\(\s*(?P<weekday>[月火水木金土日])(?:曜日?)?\s*\))?  # as in 11月1日(月)
    """,
    re.VERBOSE,
)


def parse_date(text: str) -> datetime.date:
    """The day that ``text`` names, or ValueError saying, in the UI language, why not.

    Year, month and day in this order, in the Western calendar (2021-11-01,
    2021/11/1, 2021.11.1, 2021年11月1日) or in an era: written out (令和3年11月1日,
    令和元年5月1日), by its first character (令3.11.1) or by its initial, as
    government documents do (R3.11.1, r03/11/01). Spaces between the parts, full-width
    characters and a weekday after the date (11月1日(月)) are fine; a weekday that
    does not match the date is refused, as the date itself is then in doubt.

    Refused as ambiguous: month/day/year (11/01/2021), and a year of one to three
    digits without an era (21/11/1: 2021, or 平成21年?). An era year outside the era
    (平成32年, 令和0年, 平成31年5月1日) is refused with the era's first or last day.
    """
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(str(ACCEPTED_FORMS))
    year_text = match["year"]
    month = int(match["month"] or match["kanji_month"])
    day_text = match["day"] or match["kanji_day"]
    day = int(day_text)
    era = None
    if match["era"] is None:
        if len(year_text) < 4 and len(day_text) == 4:
            raise ValueError(
                gettext(
                    "Write the year first, then the month and the day, as in 2021/11/1: "
                    "month/day/year is easily misread."
                )
            )
        if len(year_text) < 4:
            raise ValueError(
                gettext(
                    "Write the year with four digits (2021) or with its era (令和3年, R3): "
                    "a shorter year could belong to more than one era."
                )
            )
        year = int(year_text)
    else:
        era = _era_named(match["era"])
        number = 1 if year_text == "元" else int(year_text)
        if number == 0:
            raise ValueError(
                gettext("There is no year 0 of %(era)s: its first year is %(era)s元年.")
                % {"era": era.name}
            )
        year = era.start.year + number - 1
        end = _era_end(era)
        if end is not None and year > end.year:
            raise ValueError(_era_ended(era, end, year, month, day))
    # Four digits, as the admin shows a saved date: 0999 would come back as 999/01/01.
    if not 1000 <= year <= datetime.MAXYEAR:
        raise ValueError(gettext("There is no year %(year)d.") % {"year": year})
    if not 1 <= month <= 12:
        raise ValueError(gettext("There is no month %(month)d.") % {"month": month})
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            gettext("%(year)d/%(month)d has no day %(day)d: it has %(days)d days.")
            % {"year": year, "month": month, "day": day, "days": days}
        )
    date = datetime.date(year, month, day)
    if era is not None:
        _check_in_era(era, date)
    weekday = match["weekday"]
    if weekday is not None and weekday != JA_WEEKDAYS[date.weekday()]:
        raise ValueError(
            gettext("%(date)s is a %(weekday)s, not a %(typed)s: check the date.")
            % {
                # The date as it was typed: in its era, or in the Western calendar.
                "date": _western(date) if era is None else ja_day(date),
                "weekday": f"{JA_WEEKDAYS[date.weekday()]}曜日",
                "typed": f"{weekday}曜日",
            }
        )
    return date


def _era_named(text: str) -> Era:
    for era in ERAS:
        if text in (era.name, era.name[0]) or text.upper() == era.letter:
            return era
    raise ValueError(
        gettext("“%(era)s” is not an era: write %(names)s, or their initials %(letters)s.")
        % {
            "era": text,
            "names": "、".join(era.name for era in ERAS),
            "letters": "、".join(era.letter for era in ERAS),
        }
    )


def _era_end(era: Era) -> datetime.date | None:
    """The last day of ``era``, or None for the present one."""
    newer = ERAS.index(era) - 1
    if newer < 0:
        return None
    return ERAS[newer].start - datetime.timedelta(days=1)


def _western(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _era_ended(era: Era, end: datetime.date, year: int, month: int, day: int) -> str:
    """Why a day after ``era`` is refused, naming its era when it is a real day."""
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return gettext("%(era)s ended on %(end)s.") % {"era": era.name, "end": ja_day(end)}
    return gettext("%(era)s ended on %(end)s: %(date)s is %(era_date)s.") % {
        "era": era.name,
        "end": ja_day(end),
        "date": _western(date),
        "era_date": ja_day(date),
    }


def _check_in_era(era: Era, date: datetime.date) -> None:
    end = _era_end(era)
    if end is not None and date > end:
        raise ValueError(_era_ended(era, end, date.year, date.month, date.day))
    if date >= era.start:
        return
    names = {"era": era.name, "start": ja_day(era.start), "date": _western(date)}
    if era_of(date) is None:
        raise ValueError(
            gettext(
                "%(era)s began on %(start)s; write an earlier date with the Western year, "
                "as in %(date)s."
            )
            % names
        )
    raise ValueError(
        gettext("%(era)s began on %(start)s: %(date)s is %(era_date)s.")
        % {**names, "era_date": ja_day(date)}
    )
