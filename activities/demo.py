"""The demo archive: the eight records of Saitama City's page "さいたま市のこれまでの取組"
(updated 2020-03-10, page C065484), as data, in Japanese and English.

Titles, bodies and captions are the page's own words; the summaries, descriptions,
alt texts and link labels are written here, and people's titles use full-width
brackets. The page's link sentences ("外務省のツイッターでも紹介しています" and the
like) are links, not body text. Their addresses are not known, so each link goes
to a partner's home page and says so in its label.

Japanese is the source language: a plain field (``title``) holds the Japanese and
its ``_en`` twin (``title_en``) the English translation. The English follows the
Japanese paragraph for paragraph; people's names are romanised given name first,
as they appear in English, and titles use the organizations' own English where
they have one. An English link label says "(in Japanese)" when the page it opens
is in Japanese, as the Japanese labels say "（英語）" of English pages. Where the
Japanese is empty (an unnamed person's name, a missing address) so is the English.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from activities.models import Activity, Attendance, Organization

# The page's update date: every record was public by then. A fixed value keeps
# repeated loads from changing the rows.
PUBLISHED_AT = datetime.datetime(2020, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

PHOTO_CREDIT = "仮画像（実際の写真ではありません）"
PHOTO_CREDIT_EN = "Placeholder image (not a real photograph)"

MOFA_HOME = "https://www.mofa.go.jp/mofaj/"
MOE_HOME = "https://www.env.go.jp/"
ICLEI_HOME = "https://iclei.org/"
ICLEI_JAPAN_HOME = "https://japan.iclei.org/"
ICLEI_EAST_ASIA_HOME = "https://eastasia.iclei.org/"
CITY_HOME = "https://www.city.saitama.lg.jp/"


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    name_en: str
    phone: str
    fax: str
    inquiry_url: str


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    name_en: str
    kind: str
    country: str
    short_name: str = ""
    short_name_en: str = ""
    parent: str | None = None  # slug of an organization listed earlier
    website: str = ""
    description: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class DemoTheme:
    slug: str
    name: str
    name_en: str
    description: str
    description_en: str


@dataclass(frozen=True)
class DemoVenue:
    name: str
    name_en: str
    city: str
    city_en: str
    country: str
    address: str = ""
    address_en: str = ""


@dataclass(frozen=True)
class DemoPerson:
    """One person however the page spells them; ``name`` is the canonical spelling
    (no space between family and given name), blank when the page gives only a post.
    ``name_en`` is the name as written in English, given name first."""

    name: str
    name_en: str
    title: str  # the latest title known; the title on the day goes on the attendance
    title_en: str
    organization: str | None = None


@dataclass(frozen=True)
class DemoAttendance:
    person: str  # key in PEOPLE
    title: str
    title_en: str
    role: str


@dataclass(frozen=True)
class DemoLink:
    label: str
    label_en: str
    url: str


@dataclass(frozen=True)
class DemoPhoto:
    caption: str
    caption_en: str
    alt_text: str
    alt_text_en: str
    people: tuple[str, ...] = ()  # keys in PEOPLE, only those the caption names


@dataclass(frozen=True)
class DemoActivity:
    slug: str
    title: str
    title_en: str
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    summary: str
    summary_en: str
    paragraphs: tuple[str, ...]
    paragraphs_en: tuple[str, ...]  # one for each Japanese paragraph, in order
    venues: tuple[str, ...] = ()  # keys in VENUES
    partners: tuple[str, ...] = ()  # organization slugs
    themes: tuple[str, ...] = ()  # theme slugs
    attendances: tuple[DemoAttendance, ...] = ()
    links: tuple[DemoLink, ...] = ()
    photos: tuple[DemoPhoto, ...] = ()

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def body_en(self) -> str:
        return "\n\n".join(self.paragraphs_en)


DEPARTMENT = DemoDepartment(
    name="都市戦略本部 未来都市推進部 環境未来都市推進担当",
    name_en=(
        "Environmental Future City Promotion Section, Future City Promotion Department, "
        "Urban Strategy Bureau"
    ),
    phone="048-829-1457",
    fax="048-829-1997",
    inquiry_url=CITY_HOME,
)

OrgKind = Organization.Kind

MOFA_EN = "Ministry of Foreign Affairs of Japan"
MOFA_BUREAU_EN = f"International Cooperation Bureau, {MOFA_EN}"
MOFA_DIVISION_EN = f"Climate Change Division, {MOFA_BUREAU_EN}"

# Parents come before their children.
ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        slug="mofa",
        name="外務省",
        name_en=MOFA_EN,
        short_name="MOFA",
        short_name_en="MOFA",
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        website=MOFA_HOME,
        description="日本の外交を担う国の行政機関です。",
        description_en="The national government ministry responsible for Japan's diplomacy.",
    ),
    DemoOrganization(
        slug="mofa-international-cooperation-bureau",
        name="外務省 国際協力局",
        name_en=MOFA_BUREAU_EN,
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        parent="mofa",
        description="外務省で開発協力や地球規模の課題を担当する局です。",
        description_en=(
            "The bureau of the Ministry of Foreign Affairs responsible for development "
            "cooperation and global issues."
        ),
    ),
    DemoOrganization(
        slug="mofa-climate-change-division",
        name="外務省 国際協力局 気候変動課",
        name_en=MOFA_DIVISION_EN,
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        parent="mofa-international-cooperation-bureau",
        description="外務省で気候変動に関する外交を担当する課です。",
        description_en=(
            "The division of the Ministry of Foreign Affairs responsible for diplomacy on "
            "climate change."
        ),
    ),
    DemoOrganization(
        slug="moe",
        name="環境省",
        name_en="Ministry of the Environment of Japan",
        short_name="MOE",
        short_name_en="MOE",
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        website=MOE_HOME,
        description="地球環境の保全や脱炭素社会づくりを担う国の行政機関です。",
        description_en=(
            "The national government ministry responsible for protecting the global "
            "environment and building a decarbonized society."
        ),
    ),
    DemoOrganization(
        slug="iclei",
        name="イクレイ（ICLEI）",
        name_en="ICLEI – Local Governments for Sustainability",
        short_name="ICLEI",
        short_name_en="ICLEI",
        kind=OrgKind.INTERNATIONAL_NETWORK,
        country="DE",
        website=ICLEI_HOME,
        description=(
            "持続可能な都市と地域をめざす自治体の国際ネットワーク"
            "（ICLEI – Local Governments for Sustainability）です。"
            "世界事務局はドイツ・ボン市にあります。"
        ),
        description_en=(
            "An international network of local governments working toward sustainable "
            "cities and regions. Its World Secretariat is in Bonn, Germany."
        ),
    ),
    DemoOrganization(
        slug="iclei-japan",
        name="イクレイ日本",
        name_en="ICLEI Japan",
        short_name="ICLEI Japan",
        short_name_en="ICLEI Japan",
        kind=OrgKind.INTERNATIONAL_NETWORK,
        country="JP",
        parent="iclei",
        website=ICLEI_JAPAN_HOME,
        description="イクレイの日本における拠点です。",
        description_en="ICLEI's office in Japan.",
    ),
    DemoOrganization(
        slug="iclei-east-asia",
        name="イクレイ東アジア事務局",
        name_en="ICLEI East Asia Secretariat",
        short_name="ICLEI East Asia",
        short_name_en="ICLEI East Asia",
        kind=OrgKind.INTERNATIONAL_NETWORK,
        country="KR",
        parent="iclei",
        website=ICLEI_EAST_ASIA_HOME,
        description="日本・中国・台湾・韓国の会員によるイクレイ東アジア地域の事務局です。",
        description_en=(
            "The secretariat of ICLEI's East Asia region, whose members are in Japan, China, "
            "Taiwan and South Korea."
        ),
    ),
    DemoOrganization(
        slug="freiburg",
        name="フライブルク市",
        name_en="City of Freiburg",
        kind=OrgKind.LOCAL_GOVERNMENT,
        country="DE",
        description="ドイツ南西部の都市で、環境先進都市として知られています。",
        description_en=(
            "A city in southwestern Germany, known as a pioneer in environmental policy."
        ),
    ),
    DemoOrganization(
        slug="basel",
        name="バーゼル市",
        name_en="City of Basel",
        kind=OrgKind.LOCAL_GOVERNMENT,
        country="CH",
        description="スイス北西部の都市です。バーゼル＝シュタット準州として州と市の行政を兼ねています。",
        description_en=(
            "A city in northwestern Switzerland. The government of the half-canton of "
            "Basel-Stadt serves as both the canton's and the city's administration."
        ),
    ),
    # JETRO is an incorporated administrative agency, not a ministry: listing it
    # as national government would put a trade office among the ministries.
    DemoOrganization(
        slug="jetro",
        name="日本貿易振興機構（ジェトロ）",
        name_en="Japan External Trade Organization (JETRO)",
        short_name="JETRO",
        short_name_en="JETRO",
        kind=OrgKind.OTHER,
        country="JP",
        description="日本と海外の貿易・投資を促進する独立行政法人です。",
        description_en=(
            "An incorporated administrative agency that promotes trade and investment "
            "between Japan and other countries."
        ),
    ),
    DemoOrganization(
        slug="jetro-dusseldorf",
        name="ジェトロ・デュッセルドルフ事務所",
        name_en="JETRO Düsseldorf",
        kind=OrgKind.OTHER,
        country="DE",
        parent="jetro",
        description="ドイツ・デュッセルドルフ市にあるジェトロの海外事務所です。",
        description_en="JETRO's overseas office in Düsseldorf, Germany.",
    ),
    # The association uses its German name in English too.
    DemoOrganization(
        slug="djw",
        name="独日産業協会",
        name_en="Deutsch-Japanischer Wirtschaftskreis",
        short_name="DJW",
        short_name_en="DJW",
        kind=OrgKind.BUSINESS,
        country="DE",
        description=(
            "ドイツと日本の企業の交流を支援する経済団体"
            "（Deutsch-Japanischer Wirtschaftskreis）です。"
        ),
        description_en=(
            "A business association that supports exchange between German and Japanese "
            "companies (in English, the Japanese-German Business Association)."
        ),
    ),
    DemoOrganization(
        slug="suwon",
        name="水原市",
        name_en="Suwon City",
        kind=OrgKind.LOCAL_GOVERNMENT,
        country="KR",
        description="韓国・京畿道の都市です。",
        description_en="A city in Gyeonggi Province, South Korea.",
    ),
)

THEMES: tuple[DemoTheme, ...] = (
    DemoTheme(
        slug="decarbonization",
        name="脱炭素",
        name_en="Decarbonization",
        description="温室効果ガスの排出を減らし、実質ゼロをめざす取組です。",
        description_en="Work to cut greenhouse gas emissions and bring them to net zero.",
    ),
    DemoTheme(
        slug="electric-mobility",
        name="電動モビリティ",
        name_en="Electric mobility",
        description=(
            "電気自動車やパーソナルモビリティなど、電気で動く乗り物の普及に向けた取組です。"
        ),
        description_en=(
            "Work to spread vehicles that run on electricity, such as electric cars and "
            "personal mobility devices."
        ),
    ),
    DemoTheme(
        slug="smart-city",
        name="スマートシティ",
        name_en="Smart city",
        description=(
            "エネルギーや交通の新しい技術を生かし、暮らしやすく持続可能なまちをつくる取組です。"
        ),
        description_en=(
            "Work to build livable, sustainable cities with new energy and transport technologies."
        ),
    ),
    DemoTheme(
        slug="renewable-energy",
        name="再生可能エネルギー",
        name_en="Renewable energy",
        description="太陽光や風力など、自然の力から得られるエネルギーの活用に向けた取組です。",
        description_en=(
            "Work to make use of energy from natural sources such as sunlight and wind."
        ),
    ),
    DemoTheme(
        slug="sustainable-transport",
        name="持続可能な交通",
        name_en="Sustainable transport",
        description="環境にやさしく、誰もが移動しやすい交通の実現に向けた取組です。",
        description_en=(
            "Work toward transport that is kind to the environment and easy for everyone to use."
        ),
    ),
    DemoTheme(
        slug="economic-cooperation",
        name="経済交流",
        name_en="Economic cooperation",
        description="海外の自治体や企業、経済団体と連携して経済分野での協力を深める取組です。",
        description_en=(
            "Work with local governments, companies and business associations abroad to "
            "deepen cooperation in the economic field."
        ),
    ),
)

# No addresses or coordinates: the page names the places only.
VENUES: dict[str, DemoVenue] = {
    "saitama-city-hall": DemoVenue(
        "さいたま市役所", "Saitama City Hall", "さいたま市", "Saitama", "JP"
    ),
    "iclei-world-secretariat": DemoVenue(
        "イクレイ世界事務局", "ICLEI World Secretariat", "ボン市", "Bonn", "DE"
    ),
    "basel": DemoVenue("バーゼル市", "Basel", "バーゼル市", "Basel", "CH"),
    "freiburg": DemoVenue("フライブルク市", "Freiburg", "フライブルク市", "Freiburg", "DE"),
    "china-national-convention-center": DemoVenue(
        "中国国際会議場", "China National Convention Center", "北京市", "Beijing", "CN"
    ),
    "suwon-hwaseong-haenggung": DemoVenue(
        "水原華城行宮広場 国際会議場",
        "Hwaseong Haenggung Plaza International Conference Hall",
        "水原市",
        "Suwon",
        "KR",
    ),
}

MAYOR_TITLE_EN = "Mayor of Saitama City"
ICLEI_SECRETARY_GENERAL_EN = "Secretary General, ICLEI"
ICLEI_DEPUTY_SECRETARY_GENERAL_EN = "Deputy Secretary General, ICLEI"
DEPUTY_DIRECTOR_EN = "Deputy Director, Future City Promotion Department, Saitama City"
MOFA_CLIMATE_DIRECTOR_EN = f"Director, Climate Change Division, {MOFA_EN}"
# The page calls Lukas Ott the mayor of Basel; the English says what the page says.
BASEL_MAYOR_EN = "Mayor of Basel (also a member of the City Council)"
JETRO_DUSSELDORF_HEAD_EN = "Director General, JETRO Düsseldorf"
DJW_HEAD_EN = "Executive Board Member and Managing Director, Deutsch-Japanischer Wirtschaftskreis"

PEOPLE: dict[str, DemoPerson] = {
    "shimizu": DemoPerson("清水勇人", "Hayato Shimizu", "さいたま市長", MAYOR_TITLE_EN),
    "homma": DemoPerson(
        "本間和義", "Kazuyoshi Homma", "さいたま市副市長", "Deputy Mayor of Saitama City"
    ),
    # The page names this official by post only.
    "future-city-deputy-director": DemoPerson(
        "", "", "さいたま市未来都市推進部 副参事", DEPUTY_DIRECTOR_EN
    ),
    "mofa-climate-director": DemoPerson(
        "",
        "",
        "外務省気候変動課長",
        MOFA_CLIMATE_DIRECTOR_EN,
        organization="mofa-climate-change-division",
    ),
    "hamanaka": DemoPerson(
        "浜中裕徳",
        "Hironori Hamanaka",
        "イクレイ日本・理事長",
        "Chair, ICLEI Japan",
        organization="iclei-japan",
    ),
    "uchida": DemoPerson(
        "内田東吾",
        "Togo Uchida",
        "イクレイ日本・事務局長",
        "Executive Director, ICLEI Japan",
        organization="iclei-japan",
    ),
    # Minister of the Environment until September 2019.
    "harada": DemoPerson(
        "原田義昭", "Yoshiaki Harada", "元環境大臣", "Former Minister of the Environment"
    ),
    # The page spells him both ベキン and ベギン; ベギン is the caption's spelling.
    "van-begin": DemoPerson(
        "ジノ・ヴァン・ベギン",
        "Gino Van Begin",
        "イクレイ世界事務局長",
        ICLEI_SECRETARY_GENERAL_EN,
        organization="iclei",
    ),
    "ott": DemoPerson(
        "ルーカス・オット",
        "Lukas Ott",
        "バーゼル市長（兼市議会議員）",
        BASEL_MAYOR_EN,
        organization="basel",
    ),
    # Freiburg's Oberbürgermeister, "Lord Mayor" in the city's own English.
    "horn": DemoPerson(
        "マーティン・ホーン",
        "Martin Horn",
        "フライブルク市長",
        "Lord Mayor of Freiburg",
        organization="freiburg",
    ),
    "watanabe": DemoPerson(
        "渡邉全佳",
        "Masayoshi Watanabe",
        "ジェトロ・デュッセルドルフ事務所所長",
        JETRO_DUSSELDORF_HEAD_EN,
        organization="jetro-dusseldorf",
    ),
    "munch": DemoPerson(
        "ユリア・ミュンヒ",
        "Julia Münch",
        "独日産業協会常任理事・事務局長",
        DJW_HEAD_EN,
        organization="djw",
    ),
    "zimmermann": DemoPerson(
        "モニカ・ジンマーマン",
        "Monika Zimmermann",
        "イクレイ世界事務局次長",
        ICLEI_DEPUTY_SECRETARY_GENERAL_EN,
        organization="iclei",
    ),
}

Role = Attendance.Role
ActivityKind = Activity.Kind

MAYOR = DemoAttendance("shimizu", "さいたま市長", MAYOR_TITLE_EN, Role.DELEGATION)
MAYOR_SPEECH_CAPTION = "市長講演の様子"
MAYOR_SPEECH_CAPTION_EN = "The Mayor giving his speech"
ICLEI_AWARD_CAPTION = (
    "イクレイ世界事務局次長との面会・記念品の贈呈　"
    "イクレイ世界事務局次長 モニカ・ジンマーマン氏(左)　さいたま市長 清水 勇人(右)"
)
ICLEI_AWARD_CAPTION_EN = (
    "Meeting with the Deputy Secretary General of ICLEI and presentation of a commemorative "
    "gift: Monika Zimmermann, Deputy Secretary General of ICLEI (left); Hayato Shimizu, "
    "Mayor of Saitama City (right)"
)
E_KIZUNA_SUMMIT_EN = "E-KIZUNA Global Summit (working title)"
SPECIAL_ZONE_EN = "Next-Generation Automotive and Smart Energy Special Zone"

ACTIVITIES: tuple[DemoActivity, ...] = (
    DemoActivity(
        slug="2020-02-28-mofa-climate-change-division",
        title="外務省気候変動課への訪問",
        title_en="Visit to the Climate Change Division of the Ministry of Foreign Affairs",
        kind=ActivityKind.MEETING,
        start_date=datetime.date(2020, 2, 28),
        end_date=None,
        summary=(
            "外務省国際協力局気候変動課を訪問し、「E-KIZUNA Project」などさいたま市の取組を"
            "紹介するとともに、「E-KIZUNAグローバルサミット」に向けて意見交換を行いました。"
        ),
        summary_en=(
            "The city visited the Climate Change Division of the Ministry of Foreign Affairs' "
            "International Cooperation Bureau, presented Saitama City's initiatives such as "
            "the E-KIZUNA Project, and exchanged views on the E-KIZUNA Global Summit."
        ),
        paragraphs=(
            "外務省国際協力局・気候変動課を訪問し、「E-KIZUNA Project」や"
            "「次世代自動車・スマートエネルギー特区」など、さいたま市の取組を紹介しました。",
            "また、2021年度に開催予定の「E-KIZUNAグローバルサミット」に向けた意見交換を"
            "行いました。",
        ),
        paragraphs_en=(
            "The city visited the Climate Change Division of the Ministry of Foreign Affairs' "
            "International Cooperation Bureau and presented Saitama City's initiatives, "
            f"including the E-KIZUNA Project and the {SPECIAL_ZONE_EN}.",
            "The two sides also exchanged views on the E-KIZUNA Global Summit, planned for "
            "fiscal 2021.",
        ),
        partners=("mofa-climate-change-division",),
        themes=("decarbonization", "electric-mobility", "smart-city"),
        attendances=(
            DemoAttendance(
                "future-city-deputy-director",
                "さいたま市未来都市推進部 副参事",
                DEPUTY_DIRECTOR_EN,
                Role.DELEGATION,
            ),
            DemoAttendance(
                "mofa-climate-director",
                "外務省気候変動課長",
                MOFA_CLIMATE_DIRECTOR_EN,
                Role.COUNTERPART,
            ),
        ),
        links=(
            DemoLink(
                "外務省ホームページ",
                "Ministry of Foreign Affairs of Japan website (in Japanese)",
                MOFA_HOME,
            ),
            DemoLink("さいたま市ホームページ", "Saitama City website (in Japanese)", CITY_HOME),
        ),
        photos=(
            DemoPhoto(
                caption="さいたま市未来都市推進部 副参事(左)　外務省気候変動課長(中央)",
                caption_en=(
                    "Deputy Director, Future City Promotion Department, Saitama City (left); "
                    "Director, Climate Change Division, Ministry of Foreign Affairs (center)"
                ),
                alt_text="仮画像（外務省訪問の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the visit to the Ministry of "
                    "Foreign Affairs)"
                ),
                people=("future-city-deputy-director", "mofa-climate-director"),
            ),
        ),
    ),
    DemoActivity(
        slug="2019-10-30-iclei-japan-courtesy-call",
        title="イクレイ日本理事長との面会",
        title_en="Meeting with the Chair of ICLEI Japan",
        kind=ActivityKind.COURTESY_CALL,
        start_date=datetime.date(2019, 10, 30),
        end_date=None,
        summary=(
            "イクレイ日本の浜中理事長と内田事務局長が市長を表敬訪問し、"
            "「(仮称)E-KIZUNAグローバルサミット」の開催に向けてイクレイから積極的な協力を"
            "いただけることを確認しました。"
        ),
        summary_en=(
            "Chair Hamanaka and Executive Director Uchida of ICLEI Japan paid a courtesy call "
            "on the Mayor, and it was confirmed that ICLEI will actively support the "
            f"{E_KIZUNA_SUMMIT_EN}."
        ),
        paragraphs=(
            "イクレイ日本の理事長、浜中裕徳氏と、事務局長の内田東吾氏が、市長を表敬訪問しました。",
            "令和元年10月25日(金)に韓国・ソウルで開催された、「イクレイ東アジア地域理事会」において、"
            "「(仮称)E-KIZUNAグローバルサミット」開催に向けた清水市長のビデオメッセージが"
            "発信された旨の報告をいただきました。",
            "さいたま市が目指す「人と人を絆で結ぶスマートシティ」の概念が、イクレイの掲げる"
            "5つの発展的道筋と一致することを共有し、2021年度の「(仮称)E-KIZUNAグローバルサミット」"
            "開催に向けて、イクレイから積極的な協力をいただけることを確認しました。",
            "イクレイ東アジア地域理事会",
            "イクレイでは、地域単位でのイクレイの活動を促進するための機関として、"
            "地域理事会を設けており、東アジア地域では、日本・中国・台湾・韓国の代表都市/機関にて"
            "構成されています。",
            "昨年の活動の振り返りと、今後の地域活動について、意見交換が行われました。",
        ),
        paragraphs_en=(
            "Hironori Hamanaka, Chair of ICLEI Japan, and Togo Uchida, its Executive Director, "
            "paid a courtesy call on the Mayor.",
            "They reported that a video message from Mayor Shimizu about holding the "
            f"{E_KIZUNA_SUMMIT_EN} had been shown at the ICLEI East Asia Regional Executive "
            "Committee meeting held in Seoul, South Korea, on Friday, October 25, 2019.",
            "Both sides agreed that the concept of a “smart city that binds people together”, "
            "which Saitama City is working toward, matches the five development pathways set "
            "out by ICLEI, and it was confirmed that ICLEI will actively support the "
            f"{E_KIZUNA_SUMMIT_EN} in fiscal 2021.",
            "ICLEI East Asia Regional Executive Committee",
            "ICLEI has regional executive committees to advance its work region by region. In "
            "East Asia, the committee is made up of representative cities and organizations "
            "from Japan, China, Taiwan and South Korea.",
            "The meeting looked back on the past year's activities and exchanged views on "
            "future activities in the region.",
        ),
        venues=("saitama-city-hall",),
        partners=("iclei-japan", "iclei-east-asia"),
        themes=("smart-city", "decarbonization"),
        attendances=(
            MAYOR,
            DemoAttendance("hamanaka", "イクレイ日本・理事長", "Chair, ICLEI Japan", Role.VISITOR),
            DemoAttendance(
                "uchida", "イクレイ日本・事務局長", "Executive Director, ICLEI Japan", Role.VISITOR
            ),
        ),
        links=(
            DemoLink(
                "イクレイ東アジア事務局ホームページ（英語）",
                "ICLEI East Asia Secretariat website",
                ICLEI_EAST_ASIA_HOME,
            ),
            DemoLink(
                "イクレイ日本ホームページ", "ICLEI Japan website (in Japanese)", ICLEI_JAPAN_HOME
            ),
        ),
        photos=(
            DemoPhoto(
                caption=(
                    "イクレイ日本・理事長 浜中 裕徳 氏 (左)　"
                    "イクレイ日本・事務局長 内田 東吾 氏 (右)　さいたま市長 清水 勇人 (中央)"
                ),
                caption_en=(
                    "Hironori Hamanaka, Chair of ICLEI Japan (left); Togo Uchida, Executive "
                    "Director of ICLEI Japan (right); Hayato Shimizu, Mayor of Saitama City "
                    "(center)"
                ),
                alt_text="仮画像（イクレイ日本理事長・事務局長の表敬訪問の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the courtesy call by the Chair "
                    "and the Executive Director of ICLEI Japan)"
                ),
                people=("hamanaka", "uchida", "shimizu"),
            ),
        ),
    ),
    DemoActivity(
        slug="2019-03-13-request-to-environment-minister",
        title="原田環境大臣への要望",
        title_en="Request to Environment Minister Harada",
        kind=ActivityKind.REQUEST,
        start_date=datetime.date(2019, 3, 13),
        end_date=None,
        summary=(
            "市長が原田環境大臣を訪問し、「(仮称)E-KIZUNAグローバルサミット」への支援と、"
            "電動モビリティを活用した地域の脱炭素化モデルの構築への協力・支援を要望しました。"
        ),
        summary_en=(
            "The Mayor visited Environment Minister Harada and asked for support for the "
            f"{E_KIZUNA_SUMMIT_EN} and for cooperation and support in building a regional "
            "decarbonization model using electric mobility."
        ),
        paragraphs=(
            "原田 義昭 環境大臣を訪問し、持続可能な脱炭素社会の実現に向けて、"
            "「(仮称)E-KIZUNAグローバルサミット」に対する支援、また"
            "「電動モビリティの活用による地域の脱炭素化モデル」の構築に向けた協力および支援を"
            "要望する要望書を提出しました。",
            "2015年に採択された温暖化対策の国際的枠組み「パリ協定」と、2018年に閣議決定された"
            "第5次環境基本計画により、我が国は温室効果ガス削減、さらには市域の「脱炭素化」を"
            "求められています。",
            "本市では、2009年から持続可能な低炭素社会を目指した電気自動車普及施策"
            "「E-KIZUNA Project」を展開し、また、「次世代自動車・スマートエネルギー特区」の"
            "指定を受けており、市の方向性が国の政策と合致しています。",
            "このような背景をもとに、脱炭素化に先進的に取り組む自治体として、本市のこれまでの"
            "取組を国内外に向けて発信していくために、「(仮称)E-KIZUNAグローバルサミット」の"
            "開催や、「脱炭素化に資する多様な電動モビリティ普及」に向けて協力・連携を要望しました。",
        ),
        paragraphs_en=(
            "The Mayor visited Yoshiaki Harada, Minister of the Environment, and submitted a "
            "written request asking, with a view to achieving a sustainable decarbonized "
            f"society, for support for the {E_KIZUNA_SUMMIT_EN} and for cooperation and "
            "support in building a “regional decarbonization model using electric mobility”.",
            "Under the Paris Agreement, the international framework on global warming adopted "
            "in 2015, and the Fifth Basic Environment Plan approved by the Cabinet in 2018, "
            "Japan is called on to reduce greenhouse gas emissions and, beyond that, to "
            "“decarbonize” its cities.",
            "Since 2009 Saitama City has been running the E-KIZUNA Project, a policy to spread "
            "electric vehicles aimed at a sustainable low-carbon society, and it has been "
            f"designated a {SPECIAL_ZONE_EN}. The city's direction is in line with national "
            "policy.",
            "Against this background, and to share the city's work so far in Japan and abroad "
            "as a local government at the forefront of decarbonization, the Mayor asked for "
            f"cooperation and partnership in holding the {E_KIZUNA_SUMMIT_EN} and in "
            "“spreading diverse forms of electric mobility that contribute to "
            "decarbonization”.",
        ),
        partners=("moe",),
        themes=("decarbonization", "electric-mobility"),
        attendances=(
            MAYOR,
            DemoAttendance("harada", "環境大臣", "Minister of the Environment", Role.COUNTERPART),
        ),
        photos=(
            DemoPhoto(
                caption=(
                    "原田環境大臣への要望　環境大臣 原田義昭 氏(右)　さいたま市長 清水 勇人(左)"
                ),
                caption_en=(
                    "Request to Environment Minister Harada: Yoshiaki Harada, Minister of the "
                    "Environment (right); Hayato Shimizu, Mayor of Saitama City (left)"
                ),
                alt_text="仮画像（原田環境大臣への要望の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the request to Environment "
                    "Minister Harada)"
                ),
                people=("harada", "shimizu"),
            ),
        ),
    ),
    DemoActivity(
        slug="2018-10-23-iclei-world-secretariat-agreement",
        title="イクレイ世界事務局長と面会",
        title_en="Meeting with the Secretary General of ICLEI",
        kind=ActivityKind.AGREEMENT,
        start_date=datetime.date(2018, 10, 23),
        end_date=None,
        summary=(
            "市長がドイツ・ボン市のイクレイ世界事務局を訪問してジノ・ヴァン・ベギン世界事務局長と"
            "面会し、イクレイとさいたま市の相互協力に関する協定を締結しました。"
        ),
        summary_en=(
            "The Mayor visited the ICLEI World Secretariat in Bonn, Germany, met Secretary "
            "General Gino Van Begin, and signed an agreement on mutual cooperation between "
            "ICLEI and Saitama City."
        ),
        paragraphs=(
            "ドイツ・ボン市を拠点とする「イクレイ世界事務局」を市長が訪問しました。",
            "イクレイ世界事務局長のジノ・ヴァン・ベキン氏と面会し、本市の取組を紹介するほか、"
            "2021年度に開催予定の「(仮称)E-KIZUNAグローバルサミット」に向けて協力を要請。"
            "イクレイとさいたま市における相互協力に関する協定を締結しました。",
        ),
        paragraphs_en=(
            "The Mayor visited the ICLEI World Secretariat, based in Bonn, Germany.",
            "He met Gino Van Begin, Secretary General of ICLEI, presented the city's "
            f"initiatives and asked for ICLEI's cooperation with the {E_KIZUNA_SUMMIT_EN}, "
            "planned for fiscal 2021. ICLEI and Saitama City signed an agreement on mutual "
            "cooperation.",
        ),
        venues=("iclei-world-secretariat",),
        partners=("iclei",),
        themes=("decarbonization", "electric-mobility"),
        attendances=(
            MAYOR,
            DemoAttendance(
                "van-begin", "イクレイ世界事務局長", ICLEI_SECRETARY_GENERAL_EN, Role.COUNTERPART
            ),
        ),
        links=(DemoLink("イクレイ（ICLEI）ホームページ（英語）", "ICLEI website", ICLEI_HOME),),
        photos=(
            DemoPhoto(
                caption="イクレイとの協定締結の様子",
                caption_en="Signing the agreement with ICLEI",
                alt_text="仮画像（イクレイとの協定締結の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the signing of the agreement "
                    "with ICLEI)"
                ),
            ),
            DemoPhoto(
                caption="イクレイ世界事務局長 ジノ・ヴァン・ベギン氏(左)との会談",
                caption_en="Talks with Gino Van Begin, Secretary General of ICLEI (left)",
                alt_text="仮画像（イクレイ世界事務局長との会談の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the talks with the Secretary "
                    "General of ICLEI)"
                ),
                people=("van-begin",),
            ),
        ),
    ),
    DemoActivity(
        slug="2018-10-22-renewable-energy-conference-basel-freiburg",
        title="地域再生可能エネルギー国際会議2018への出席等",
        title_en="Local Renewables Conference 2018 in Basel and Freiburg, and related visits",
        kind=ActivityKind.CONFERENCE,
        start_date=datetime.date(2018, 10, 22),
        end_date=datetime.date(2018, 10, 25),
        summary=(
            "市長がスイス・バーゼル市とドイツ・フライブルク市で地域再生可能エネルギー国際会議2018に"
            "出席し、両市長に本市の取組をトップセールスしました。ジェトロ・デュッセルドルフ事務所と"
            "独日産業協会も訪問し、経済分野での協力を確認しました。"
        ),
        summary_en=(
            "The Mayor attended the Local Renewables Conference 2018 in Basel, Switzerland, and "
            "Freiburg, Germany, and promoted the city's initiatives in person to the mayors of "
            "both cities. He also visited JETRO Düsseldorf and the Deutsch-Japanischer "
            "Wirtschaftskreis (DJW) and confirmed cooperation in the economic field."
        ),
        paragraphs=(
            "再生可能エネルギー国際会議2018では、フライブルク市長(ドイツ)・バーゼル市長(スイス)と"
            "面会し、「E-KIZUNA Project」をはじめとする本市の取組のトップセールスを行いました。"
            "また、ジェトロ・デュッセルドルフ事務所、独日産業協会を訪問し、経済分野における協力の"
            "確認、今後の都市間連携を確認しました。",
        ),
        paragraphs_en=(
            "At the Local Renewables Conference 2018, the Mayor met the Lord Mayor of Freiburg "
            "(Germany) and the Mayor of Basel (Switzerland) and promoted the city's "
            "initiatives, led by the E-KIZUNA Project, in person. He also visited JETRO "
            "Düsseldorf and the Deutsch-Japanischer Wirtschaftskreis (DJW), where cooperation "
            "in the economic field and future city-to-city partnership were confirmed.",
        ),
        venues=("basel", "freiburg"),
        partners=("freiburg", "basel", "jetro-dusseldorf", "djw"),
        themes=("renewable-energy", "electric-mobility", "economic-cooperation"),
        attendances=(
            MAYOR,
            DemoAttendance("ott", "バーゼル市長（兼市議会議員）", BASEL_MAYOR_EN, Role.COUNTERPART),
            DemoAttendance("horn", "フライブルク市長", "Lord Mayor of Freiburg", Role.COUNTERPART),
            DemoAttendance(
                "watanabe",
                "ジェトロ・デュッセルドルフ事務所所長",
                JETRO_DUSSELDORF_HEAD_EN,
                Role.COUNTERPART,
            ),
            DemoAttendance(
                "munch", "独日産業協会常任理事・事務局長", DJW_HEAD_EN, Role.COUNTERPART
            ),
        ),
        photos=(
            DemoPhoto(
                caption="バーゼル市長(兼市議会議員) ルーカス・オット氏(右)との面会",
                caption_en=(
                    "Meeting with Lukas Ott, Mayor of Basel and member of the City Council (right)"
                ),
                alt_text="仮画像（バーゼル市長との面会の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the meeting with the Mayor of "
                    "Basel)"
                ),
                people=("ott",),
            ),
            DemoPhoto(
                caption="フライブルク市長 マーティン・ホーン氏(右)との面会",
                caption_en="Meeting with Martin Horn, Lord Mayor of Freiburg (right)",
                alt_text="仮画像（フライブルク市長との面会の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the meeting with the Lord Mayor "
                    "of Freiburg)"
                ),
                people=("horn",),
            ),
            DemoPhoto(
                caption="ジェトロ・デュッセルドルフ事務所所長 渡邉全佳氏(右)",
                caption_en="Masayoshi Watanabe, Director General of JETRO Düsseldorf (right)",
                alt_text="仮画像（ジェトロ・デュッセルドルフ事務所訪問の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the visit to JETRO Düsseldorf)"
                ),
                people=("watanabe",),
            ),
            DemoPhoto(
                caption="独日産業協会常任理事・事務局長 Dr.ユリア・ミュンヒ氏(中央)",
                caption_en=(
                    "Dr. Julia Münch, Executive Board Member and Managing Director of the "
                    "Deutsch-Japanischer Wirtschaftskreis (center)"
                ),
                alt_text="仮画像（独日産業協会訪問の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the visit to the "
                    "Deutsch-Japanischer Wirtschaftskreis)"
                ),
                people=("munch",),
            ),
        ),
    ),
    DemoActivity(
        slug="2017-06-04-world-transport-convention-beijing",
        title="世界交通会議2017",
        title_en="World Transport Convention 2017",
        kind=ActivityKind.CONFERENCE,
        start_date=datetime.date(2017, 6, 4),
        end_date=datetime.date(2017, 6, 6),
        summary=(
            "副市長が「世界交通会議2017」の主な会合の一つ、持続可能なモビリティに関する"
            "国際首長フォーラムに出席し、低炭素型パーソナルモビリティの普及に向けた本市の取組を"
            "PRしました。"
        ),
        summary_en=(
            "The Deputy Mayor attended the International Mayors' Forum on Sustainable "
            "Mobility, one of the main meetings of the World Transport Convention 2017, and "
            "presented the city's work to spread low-carbon personal mobility."
        ),
        paragraphs=(
            "環境に優しい交通手段の選択需要の高まりを背景に中国やアジアの都市において持続可能な"
            "モビリティを推進するため、各都市の首長や専門家が有する優良事例や経験を共有することを"
            "目的としたフォーラムです。",
            "このフォーラムでは、各国から、持続可能なモビリティに関する優良事例を持つ都市の首長や"
            "専門家が登壇し、都市交通の解決策について、議論を行いました。",
            "このフォーラムには本間和義 副市長が出席し、「低炭素型パーソナルモビリティの普及」に"
            "向けた各種取組の成果などをアジアの都市の政府関係者、実務者、研究者へ向けてPRしました。",
        ),
        paragraphs_en=(
            "With demand growing for environmentally friendly ways to travel, the forum aims "
            "to promote sustainable mobility in cities in China and across Asia by sharing the "
            "good practices and experience of mayors and experts from many cities.",
            "At the forum, mayors and experts from cities around the world with good practices "
            "in sustainable mobility took the stage and discussed solutions for urban "
            "transport.",
            "Deputy Mayor Kazuyoshi Homma attended the forum and presented the results of the "
            "city's initiatives to spread “low-carbon personal mobility” to government "
            "officials, practitioners and researchers from Asian cities.",
        ),
        venues=("china-national-convention-center",),
        themes=("sustainable-transport", "electric-mobility"),
        attendances=(
            DemoAttendance(
                "homma", "さいたま市副市長", "Deputy Mayor of Saitama City", Role.DELEGATION
            ),
        ),
        photos=(
            DemoPhoto(
                caption="副市長講演の様子",
                caption_en="The Deputy Mayor giving his presentation",
                alt_text="仮画像（世界交通会議2017での副市長講演の写真の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the photo of the Deputy Mayor's "
                    "presentation at the World Transport Convention 2017)"
                ),
                people=("homma",),
            ),
        ),
    ),
    DemoActivity(
        slug="2013-08-31-ecomobility-2013-suwon",
        title="エコモビリティ2013水原(スウォン)会議",
        title_en="EcoMobility 2013 Suwon Congress",
        kind=ActivityKind.CONFERENCE,
        start_date=datetime.date(2013, 8, 31),
        end_date=datetime.date(2013, 9, 2),
        summary=(
            "市長がエコモビリティ2013水原会議及び東アジア低炭素都市フォーラムに出席し、"
            "講演とブース出展でさいたま市のエコモビリティに関する施策を発信しました。"
        ),
        summary_en=(
            "The Mayor attended the EcoMobility 2013 Suwon Congress and the East Asia Low "
            "Carbon Cities Forum, and presented Saitama City's ecomobility policies in a "
            "speech and at an exhibition booth."
        ),
        paragraphs=(
            "自治体リーダー、交通計画の専門家、エコモービルの製造業者などが、エコモビリティに関し、"
            "意見交換や情報共有を行い、世界が目指すべき方向性を認識するための会議です。",
            "この会議には清水勇人 さいたま市長が出席し、さいたま市が取り組んでいる"
            "電気自動車普及施策「E-KIZUNA Project」及び「次世代自動車・スマートエネルギー特区」の"
            "重点プロジェクトの"
            "ひとつである「低炭素型パーソナルモビリティ」について、市長講演及びさいたま市ブースの"
            "出展を行い、さいたま市のエコモビリティに関する施策などを発信しました。",
        ),
        paragraphs_en=(
            "At this congress, local government leaders, transport planning experts, makers of "
            "ecomobile vehicles and others exchange views and share information on ecomobility "
            "and recognize the direction the world should take.",
            "Hayato Shimizu, Mayor of Saitama City, attended the congress. Through a speech by "
            "the Mayor and a Saitama City exhibition booth, the city presented its ecomobility "
            "policies, among them “low-carbon personal mobility”, a priority project of both "
            "the E-KIZUNA Project (the city's policy to spread electric vehicles) and the "
            f"{SPECIAL_ZONE_EN}.",
        ),
        venues=("suwon-hwaseong-haenggung",),
        partners=("iclei", "suwon"),
        themes=("sustainable-transport", "electric-mobility"),
        attendances=(MAYOR,),
        # The page shows two photos under one caption.
        photos=(
            DemoPhoto(
                caption=MAYOR_SPEECH_CAPTION,
                caption_en=MAYOR_SPEECH_CAPTION_EN,
                alt_text="仮画像（水原会議での市長講演の写真1枚目の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the first photo of the Mayor's speech at "
                    "the Suwon congress)"
                ),
                people=("shimizu",),
            ),
            DemoPhoto(
                caption=MAYOR_SPEECH_CAPTION,
                caption_en=MAYOR_SPEECH_CAPTION_EN,
                alt_text="仮画像（水原会議での市長講演の写真2枚目の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the second photo of the Mayor's speech at "
                    "the Suwon congress)"
                ),
                people=("shimizu",),
            ),
        ),
    ),
    DemoActivity(
        slug="2013-07-21-iclei-membership",
        title="イクレイへの加盟",
        title_en="Joining ICLEI",
        kind=ActivityKind.MEMBERSHIP,
        start_date=datetime.date(2013, 7, 21),
        end_date=None,
        summary=(
            "市長がイクレイ世界事務局次長を訪問して会員証を授与され、さいたま市はイクレイに"
            "加盟しました。"
        ),
        summary_en=(
            "The Mayor visited the Deputy Secretary General of ICLEI and was presented with a "
            "membership certificate: Saitama City has joined ICLEI."
        ),
        paragraphs=("イクレイ世界事務局次長を訪問し、会員証を授与されました。",),
        paragraphs_en=(
            "The Mayor visited the Deputy Secretary General of ICLEI and was presented with a "
            "membership certificate.",
        ),
        partners=("iclei",),
        themes=("decarbonization",),
        attendances=(
            MAYOR,
            DemoAttendance(
                "zimmermann",
                "イクレイ世界事務局次長",
                ICLEI_DEPUTY_SECRETARY_GENERAL_EN,
                Role.COUNTERPART,
            ),
        ),
        links=(
            DemoLink("さいたま市ホームページ", "Saitama City website (in Japanese)", CITY_HOME),
        ),
        photos=(
            DemoPhoto(
                caption=ICLEI_AWARD_CAPTION,
                caption_en=ICLEI_AWARD_CAPTION_EN,
                alt_text="仮画像（イクレイ会員証授与式の写真1枚目の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the first photo of the ICLEI membership "
                    "certificate ceremony)"
                ),
                people=("zimmermann", "shimizu"),
            ),
            DemoPhoto(
                caption=ICLEI_AWARD_CAPTION,
                caption_en=ICLEI_AWARD_CAPTION_EN,
                alt_text="仮画像（イクレイ会員証授与式の写真2枚目の代わり）",
                alt_text_en=(
                    "Placeholder image (in place of the second photo of the ICLEI membership "
                    "certificate ceremony)"
                ),
                people=("zimmermann", "shimizu"),
            ),
        ),
    ),
)
