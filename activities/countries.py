"""Countries as staff look for them: in 五十音順 by their Japanese reading on the
Japanese pages (alphabetically in English), and found by typing their Japanese name
in kana (イギリス, いぎりす), a common Japanese alias (英国), the English name or the ISO
code.

The one definition of that order and of what finds a country. The admin's country
selects use it (CountrySelect: the choices, and each option's search text for
static/js/country-select.js); the public filter can too.
"""

from __future__ import annotations

import functools
import json
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import get_select2_language
from django.db.models import BLANK_CHOICE_DASH
from django.utils import translation
from django_countries import countries

# Readings of the Japanese names that are not all kana. A name in kana is its own
# reading. tests/test_countries.py checks that every name is covered and that each
# reading here fits its name.
READINGS = {
    "AE": "あらぶしゅちょうこくれんぽう",  # アラブ首長国連邦
    "AQ": "なんきょく",  # 南極
    "AS": "べいりょうさもあ",  # 米領サモア
    "AX": "おーらんどしょとう",  # オーランド諸島
    "BL": "せんとばーそろみゅーとう",  # セント・バーソロミュー島
    "BM": "ばみゅーだしょとう",  # バミューダ諸島
    "BV": "ぶーべとう",  # ブーベ島
    "CC": "ここすきーりんぐしょとう",  # ココス (キーリング) 諸島
    "CD": "こんごみんしゅきょうわこく",  # コンゴ(民主共和国)
    "CF": "ちゅうおうあふりか",  # 中央アフリカ
    "CG": "こんごきょうわこく",  # コンゴ共和国
    "CK": "くっくしょとう",  # クック諸島
    "CN": "ちゅうごく",  # 中国
    "CX": "くりすますとう",  # クリスマス島
    "DM": "どみにかこく",  # ドミニカ国
    "DO": "どみにかきょうわこく",  # ドミニカ共和国
    "EH": "にしさはら",  # 西サハラ
    "FK": "ふぉーくらんどまるびなすしょとう",  # フォークランド (マルビナス) 諸島
    "FM": "みくろねしあれんぽう",  # ミクロネシア連邦
    "FO": "ふぇろーしょとう",  # フェロー諸島
    "GF": "ふつりょうぎにあ",  # 仏領ギニア
    "GQ": "せきどうぎにあ",  # 赤道ギニア
    # サウスジョージア・サウスサンドウィッチ諸島
    "GS": "さうすじょーじあさうすさんどうぃっちしょとう",
    "HK": "ほんこん",  # 香港
    "HM": "はーどとうおよびまくどなるどとう",  # ハード島およびマクドナルド島
    "IM": "まんとう",  # マン島
    "IO": "えいりょういんどようちいき",  # 英領インド洋地域
    "JE": "えいりょうじゃーじーとう",  # 英領ジャージー島
    "JP": "にほん",  # 日本
    "KN": "せんとくりすとふぁーねいびすれんぽう",  # セントクリストファー・ネイビス連邦
    "KP": "きたちょうせん",  # 北朝鮮
    "KR": "かんこく",  # 韓国
    "KY": "けいまんしょとう",  # ケイマン諸島
    "MF": "せんとまーちんふらんすりょう",  # セント・マーチン(フランス領)
    "MH": "まーしゃるしょとう",  # マーシャル諸島
    "MK": "きたまけどにあ",  # 北マケドニア
    "MP": "きたまりあなしょとう",  # 北マリアナ諸島
    "MS": "えいりょうもんとせらと",  # 英領モントセラト
    "NF": "のーふぉーくとう",  # ノーフォーク島
    "PF": "ふつりょうぽりねしあ",  # 仏領ポリネシア
    "PM": "さんぴえーるとうみくろんとう",  # サンピエール島・ミクロン島
    "PN": "ぴとけあんしょとう",  # ピトケアン諸島
    "PS": "ぱれすちなじちしゅう",  # パレスチナ自治州
    "SB": "そろもんしょとう",  # ソロモン諸島
    "SJ": "すゔぁーるばるしょとうおよびやんまいえんとう",  # スヴァールバル諸島およびヤンマイエン島
    "SS": "みなみすーだん",  # 南スーダン
    "SX": "せんとまーちんおらんだりょう",  # セント・マーチン(オランダ領)
    "TC": "たーくすかいこすしょとう",  # タークス・カイコス諸島
    "TF": "ふつりょうなんぽうちいき",  # 仏領南方地域
    "TL": "ひがしてぃもーる",  # 東ティモール
    "TW": "たいわん",  # 台湾
    "UM": "がっしゅうこくりょうゆうしょうりとう",  # 合衆国領有小離島
    "US": "あめりかがっしゅうこく",  # アメリカ合衆国
    "VA": "ばちかんしこく",  # バチカン市国
    # セントビンセントおよびグレナディーン諸島
    "VC": "せんとびんせんとおよびぐれなでぃーんしょとう",
    "VG": "ゔぁーじんしょとういぎりすりょう",  # ヴァージン諸島(イギリス領)
    "VI": "ゔぁーじんしょとうあめりかりょう",  # ヴァージン諸島(アメリカ領)
    "ZA": "みなみあふりか",  # 南アフリカ
}

# Other names people type for a country: the short forms of the press and of
# official papers (英国, 米国, 独, 仏), with the readings of those in kanji, so that
# they match while an input method still shows kana; the names before a change
# (グルジア is now ジョージア); parts of a country (a trip to Glasgow is to
# スコットランド); and English names in common use.
ALIASES = {
    "AE": ("UAE",),
    "AU": ("豪", "豪州", "ごうしゅう"),
    "CA": ("加",),
    "CI": ("Ivory Coast",),
    "CN": ("中華人民共和国", "ちゅうかじんみんきょうわこく", "PRC"),
    "CV": ("カーボヴェルデ", "Cape Verde"),
    "CZ": ("チェコ共和国", "Czech Republic"),
    "DE": ("独", "独逸", "Deutschland"),
    "FR": ("仏", "仏国", "ふっこく"),
    "GB": (
        "英国",
        "えいこく",
        "連合王国",
        "れんごうおうこく",
        "イングランド",
        "スコットランド",
        "ウェールズ",
        "北アイルランド",
        "きたあいるらんど",
        "UK",
        "Britain",
        "Great Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ),
    "GE": ("ジョージア",),
    "IN": ("印",),
    "IT": ("伊",),
    "JP": ("日本国", "にっぽん", "Nippon"),
    "KP": ("朝鮮民主主義人民共和国", "ちょうせんみんしゅしゅぎじんみんきょうわこく", "DPRK"),
    "KR": ("大韓民国", "だいかんみんこく", "Korea"),
    "LU": ("ルクセンブルク",),
    "MM": ("ビルマ", "Burma"),
    "MO": ("澳門", "Macau"),
    "MV": ("モルディブ",),
    "NL": ("蘭", "ホラント", "ネーデルラント", "Holland"),
    "NR": ("Nauru",),
    "NZ": ("NZ",),
    "RU": ("露", "ロシア連邦", "ろしあれんぽう"),
    "SZ": ("スワジランド", "Swaziland"),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "US": ("米国", "べいこく", "アメリカ", "USA", "America", "United States"),
    "VA": (
        "ローマ教皇庁",
        "ろーまきょうこうちょう",
        "ローマ法王庁",
        "ろーまほうおうちょう",
        "Holy See",
        "Vatican",
    ),
}

# Katakana to hiragana: the two scripts read alike, and a search should not care.
_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}

# For the order: small kana sort as their full-size kana.
_FULL_SIZE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")

# The vowel of each kana, for the prolonged sound mark: ルーマニア sorts as るうまにあ.
_VOWEL = {
    kana: vowel
    for row in (
        "あいうえお",
        "かきくけこ",
        "さしすせそ",
        "たちつてと",
        "なにぬねの",
        "はひふへほ",
        "まみむめも",
        "や ゆ よ",
        "らりるれろ",
        "わゐ ゑを",
    )
    for kana, vowel in zip(row, "あいうえお", strict=True)
    if kana != " "
}


def fold(text: str) -> str:
    """Text as searches compare it: width and case folded (ＵＫ, uk, UK alike),
    katakana as hiragana (イギリス, いぎりす alike). static/js/country-select.js
    folds what staff type the same way."""
    return unicodedata.normalize("NFKC", text).lower().translate(_HIRAGANA)


def _kana_only(text: str) -> str:
    return "".join(ch for ch in text if "ぁ" <= ch <= "ゖ" or ch == "ー")


def reading(code: str) -> str:
    """The Japanese name's reading in hiragana, without punctuation."""
    if code in READINGS:
        return READINGS[code]
    with translation.override("ja"):
        return _kana_only(fold(str(countries.name(code))))


def gojuon_key(kana: str) -> tuple[str, str]:
    """The sort key of a reading in 五十音順, as a Japanese dictionary orders words:
    voiced and small kana first as their plain, full-size kana (が as か, ッ as ツ),
    the prolonged sound mark as the vowel it lengthens; ties by the voiced marks
    (は, ば, ぱ)."""
    plain = unicodedata.normalize("NFD", kana)
    plain = "".join(ch for ch in plain if ch not in "\u3099\u309a").translate(_FULL_SIZE)
    spelled: list[str] = []
    for ch in plain:
        spelled.append(_VOWEL.get(spelled[-1], ch) if ch == "ー" and spelled else ch)
    return "".join(spelled), kana


@functools.cache
def _ordered(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        named = [(country.code, str(country.name)) for country in countries]
    if language.split("-")[0] == "ja":
        named.sort(key=lambda pair: (gojuon_key(reading(pair[0])), pair[1]))
    # Other languages: django-countries' own alphabetical order of their names.
    return tuple(named)


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, in the order of ``language`` (by default the
    active one): 五十音順 of the reading in Japanese, alphabetical otherwise."""
    return list(_ordered(language or translation.get_language() or settings.LANGUAGE_CODE))


def form_choices() -> list[tuple[str, str]]:
    """The choices of a country select, the empty choice first."""
    return [*BLANK_CHOICE_DASH, *choices()]


@functools.cache
def search_text(code: str) -> str:
    """Everything that finds this country, folded, each term apart (``|``): its code,
    Japanese name and reading, English name (also without accents: Aland, Cote),
    and aliases."""
    with translation.override("ja"):
        japanese = str(countries.name(code))
    with translation.override("en"):
        english = str(countries.name(code))
    plain = unicodedata.normalize("NFKD", english).encode("ascii", "ignore").decode()
    terms = [code, japanese, reading(code), english, plain, *ALIASES.get(code, ())]
    return "|".join(dict.fromkeys(fold(term) for term in terms))


def _typed(typed: str) -> tuple[str, str]:
    term = fold(typed.strip())
    # Typed with or without the spaces and dots of a name: セント ルシア, セントルシア.
    return term, "".join(ch for ch in term if ch not in " ・")


def matches(code: str, typed: str) -> bool:
    """Whether what staff typed finds this country: it is part of one of its terms."""
    text = search_text(code)
    return any(term in text for term in _typed(typed))


def is_exact(code: str, typed: str) -> bool:
    """Whether what staff typed is one of this country's terms as a whole (仏, US, UK)."""
    terms = search_text(code).split("|")
    return any(term in terms for term in _typed(typed))


def find(typed: str, language: str | None = None) -> list[str]:
    """The codes of the countries that ``typed`` finds, as the admin's select lists
    them: those it names exactly first (仏 lists フランス before 仏領ギニア), then in
    the order of ``language``."""
    found = [code for code, _name in choices(language) if matches(code, typed)]
    return sorted(found, key=lambda code: not is_exact(code, typed))


class CountrySelect(forms.Select):
    """A select of countries. With JavaScript, the admin's own select2 turns it into
    a list staff type to narrow (static/js/country-select.js); without it, it is the
    plain select, in the same order."""

    def __init__(self, attrs: dict | None = None, choices=()) -> None:
        super().__init__(attrs, choices)
        # Select2's messages in the language of the page it is built for.
        self.i18n_name = get_select2_language()

    def build_attrs(self, base_attrs: dict, extra_attrs: dict | None = None) -> dict:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), "country-select"]))
        attrs.update(
            {
                # The look of the admin's autocomplete fields (admin/css/autocomplete.css).
                "data-theme": "admin-autocomplete",
                "data-width": "20em",
                "data-allow-clear": json.dumps(not self.is_required),
                "data-placeholder": "",
                "lang": self.i18n_name,
            }
        )
        return attrs

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-search"] = search_text(str(value))
        return option

    @property
    def media(self) -> forms.Media:
        extra = "" if settings.DEBUG else ".min"
        i18n = (f"admin/js/vendor/select2/i18n/{self.i18n_name}.js",) if self.i18n_name else ()
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *i18n,
                "admin/js/jquery.init.js",
                "js/country-select.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )
