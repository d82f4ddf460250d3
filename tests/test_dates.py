"""The era module against a table of dates and ranges, and reading dates as staff
type them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, translation
from hypothesis import given
from hypothesis import strategies as st

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


# --- Reading a date as staff type it -------------------------------------------------

TYPED = [
    # ISO, and the Western calendar as Japanese staff write it
    ("2021-11-01", D(2021, 11, 1)),
    ("2021/11/01", D(2021, 11, 1)),
    ("2021/11/1", D(2021, 11, 1)),
    ("2021 / 11 / 1", D(2021, 11, 1)),
    (" 2021/11/1 ", D(2021, 11, 1)),
    ("2021年11月1日", D(2021, 11, 1)),
    ("2021年 11月 1日", D(2021, 11, 1)),
    ("2021年11月1", D(2021, 11, 1)),
    ("2021.11.1", D(2021, 11, 1)),
    # eras written out, with or without spaces, 元年 and 1年
    ("令和3年11月1日", D(2021, 11, 1)),
    ("令和 3 年 11 月 1 日", D(2021, 11, 1)),
    ("令和元年5月1日", D(2019, 5, 1)),
    ("令和1年5月1日", D(2019, 5, 1)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("平成元年1月8日", D(1989, 1, 8)),
    ("昭和64年1月7日", D(1989, 1, 7)),
    ("昭和元年12月25日", D(1926, 12, 25)),
    ("大正15年12月24日", D(1926, 12, 24)),
    ("明治45年7月29日", D(1912, 7, 29)),
    ("明治元年1月25日", D(1868, 1, 25)),
    ("令和3.11.1", D(2021, 11, 1)),
    # as government documents abbreviate them
    ("R3.11.1", D(2021, 11, 1)),
    ("R3/11/1", D(2021, 11, 1)),
    ("R03.11.01", D(2021, 11, 1)),
    ("r3.11.1", D(2021, 11, 1)),
    ("R元.5.1", D(2019, 5, 1)),
    ("H31.4.30", D(2019, 4, 30)),
    ("h31.4.30", D(2019, 4, 30)),
    ("S64.1.7", D(1989, 1, 7)),
    ("T15.12.24", D(1926, 12, 24)),
    ("M45.7.29", D(1912, 7, 29)),
    ("令3.11.1", D(2021, 11, 1)),
    ("平31.4.30", D(2019, 4, 30)),
    ("昭64.1.7", D(1989, 1, 7)),
    ("大15.12.24", D(1926, 12, 24)),
    ("明45.7.29", D(1912, 7, 29)),
    # full-width digits, letters, punctuation and spaces; one-character era signs
    ("２０２１／１１／１", D(2021, 11, 1)),
    ("２０２１－１１－０１", D(2021, 11, 1)),
    ("２０２１年１１月１日", D(2021, 11, 1)),
    ("令和３年１１月１日", D(2021, 11, 1)),
    ("令和\u3000３年\u3000１１月\u3000１日", D(2021, 11, 1)),
    ("Ｒ３．１１．１", D(2021, 11, 1)),
    ("ｒ３／１１／１", D(2021, 11, 1)),
    ("㋿3年11月1日", D(2021, 11, 1)),
    ("㍻31年4月30日", D(2019, 4, 30)),
    # the long sound mark an input method may give for a dash
    ("2021ー11ー01", D(2021, 11, 1)),
    # with the weekday, as letters and this archive's own pages write it
    ("2021年11月1日(月)", D(2021, 11, 1)),
    ("令和3年11月1日（月）", D(2021, 11, 1)),
    ("令和2年2月28日(金曜日)", D(2020, 2, 28)),
    ("R3.11.1(月曜)", D(2021, 11, 1)),
]


@pytest.mark.parametrize(("text", "day"), TYPED, ids=[t[0] for t in TYPED])
def test_parse_date_reads_what_staff_type(text, day):
    assert dates.parse_date(text) == day


ACCEPTED = (
    "日付は年・月・日の順に、2021/11/1、2021-11-01、2021年11月1日、令和3年11月1日、"
    "R3.11.1 のように入力してください（全角でも入力できます）。"
)
FULL_YEAR = (
    "年は4桁の西暦（2021）か、元号を付けて（令和3年、R3）入力してください。"
    "元号のない短い年は、どの元号の年か分かりません。"
)

REFUSED = [
    # an era year or day the era did not reach
    ("平成32年1月1日", "平成は平成31年4月30日で終わりました。2020年1月1日は令和2年1月1日です。"),
    ("H32.1.1", "平成は平成31年4月30日で終わりました。2020年1月1日は令和2年1月1日です。"),
    ("平成31年5月1日", "平成は平成31年4月30日で終わりました。2019年5月1日は令和元年5月1日です。"),
    ("平成32年2月30日", "平成は平成31年4月30日で終わりました。"),
    ("平成9999年1月1日", "平成は平成31年4月30日で終わりました。"),
    ("昭和64年1月8日", "昭和は昭和64年1月7日で終わりました。1989年1月8日は平成元年1月8日です。"),
    ("令和元年4月30日", "令和は令和元年5月1日に始まりました。2019年4月30日は平成31年4月30日です。"),
    (
        "明治元年1月24日",
        "明治は明治元年1月25日に始まりました。"
        "それより前の日付は、1868年1月24日のように西暦で入力してください。",
    ),
    ("令和0年5月1日", "令和0年はありません。令和の最初の年は令和元年です。"),
    ("R0.5.1", "令和0年はありません。令和の最初の年は令和元年です。"),
    ("令和9999年1月1日", "12017年は日付として扱えません。"),
    # days that do not exist
    ("2021/2/30", "2021年2月に30日はありません（28日までです）。"),
    ("令和3年2月29日", "2021年2月に29日はありません（28日までです）。"),
    ("2021/11/31", "2021年11月に31日はありません（30日までです）。"),
    ("2021/11/0", "2021年11月に0日はありません（30日までです）。"),
    ("2021/13/1", "13月はありません。"),
    ("2021/0/1", "0月はありません。"),
    ("0000/1/1", "0年は日付として扱えません。"),
    ("0999/1/1", "999年は日付として扱えません。"),
    # ambiguous: month/day/year, and a year that names no era
    (
        "11/01/2021",
        "年・月・日の順に、2021/11/1 のように入力してください。"
        "月/日/年の順は読み違えやすいため使えません。",
    ),
    (
        "1/11/2021",
        "年・月・日の順に、2021/11/1 のように入力してください。"
        "月/日/年の順は読み違えやすいため使えません。",
    ),
    ("21/11/1", FULL_YEAR),
    ("03.11.01", FULL_YEAR),
    ("3年11月1日", FULL_YEAR),
    ("元年5月1日", FULL_YEAR),
    # an era that is not one
    (
        "X3.11.1",
        "「X」という元号はありません。令和、平成、昭和、大正、明治、"
        "またはその頭文字 R、H、S、T、M で入力してください。",
    ),
    (
        "天平3年1月1日",
        "「天平」という元号はありません。令和、平成、昭和、大正、明治、"
        "またはその頭文字 R、H、S、T、M で入力してください。",
    ),
    # a weekday that does not match the date puts the date in doubt
    (
        "2021年11月1日(火)",
        "2021年11月1日は月曜日で、火曜日ではありません。日付を確かめてください。",
    ),
    (
        "平成30年10月25日(金曜日)",
        "平成30年10月25日は木曜日で、金曜日ではありません。日付を確かめてください。",
    ),
    # not a date at all
    ("", ACCEPTED),
    ("明日", ACCEPTED),
    ("2021年11月", ACCEPTED),
    ("2021/11/01 10:00", ACCEPTED),
    ("20211101", ACCEPTED),
    ("2021/11/1/1", ACCEPTED),
    ("令和三年十一月一日", ACCEPTED),
    ("9" * 5000, ACCEPTED),
    ("\x00", ACCEPTED),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[t[0][:20] for t in REFUSED])
def test_parse_date_refuses_with_the_reason(text, message):
    with translation.override("ja"), pytest.raises(ValueError) as refused:
        dates.parse_date(text)

    assert str(refused.value) == message


def test_parse_date_explains_in_the_ui_language():
    with translation.override("en"), pytest.raises(ValueError) as refused:
        dates.parse_date("平成31年5月1日")

    assert str(refused.value) == "平成 ended on 平成31年4月30日: 2019年5月1日 is 令和元年5月1日."


@given(st.dates(min_value=dates.ERAS[-1].start, max_value=D(2200, 12, 31)))
def test_every_day_reads_back_as_the_archive_and_staff_write_it(day):
    era_name, number = dates.era_of(day)
    era = next(era for era in dates.ERAS if era.name == era_name)

    for text in (
        dates.ja_date(day),  # 令和2年2月28日(金曜日), as the public pages show it
        dates.ja_day(day),
        f"{era.letter}{number}.{day.month}.{day.day}",
        f"{era.name[0]}{number}/{day.month:02}/{day.day:02}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.isoformat(),
    ):
        assert dates.parse_date(text) == day, text


@given(st.dates(min_value=D(1000, 1, 1)))
def test_the_admin_calendar_writes_dates_that_read_back(day):
    # DateTimeShortcuts writes the day picked in the first of the language's
    # DATE_INPUT_FORMATS; a saved date is shown in it too.
    with translation.override("ja"):
        written = day.strftime(formats.get_format("DATE_INPUT_FORMATS")[0])

    assert written == f"{day.year:04}/{day.month:02}/{day.day:02}"
    assert dates.parse_date(written) == day
