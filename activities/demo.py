"""The demo archive: the eight records of Saitama City's page "さいたま市のこれまでの取組"
(updated 2020-03-10, page C065484), as data.

Titles, bodies and captions are the page's own words; the summaries, descriptions,
alt texts and link labels are written here, and people's titles use full-width
brackets. The page's link sentences ("外務省のツイッターでも紹介しています" and the
like) are links, not body text. Their addresses are not known, so each link goes
to a partner's home page and says so in its label.
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

MOFA_HOME = "https://www.mofa.go.jp/mofaj/"
MOE_HOME = "https://www.env.go.jp/"
ICLEI_HOME = "https://iclei.org/"
ICLEI_JAPAN_HOME = "https://japan.iclei.org/"
ICLEI_EAST_ASIA_HOME = "https://eastasia.iclei.org/"
CITY_HOME = "https://www.city.saitama.lg.jp/"


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    phone: str
    fax: str
    inquiry_url: str


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    kind: str
    country: str
    short_name: str = ""
    parent: str | None = None  # slug of an organization listed earlier
    website: str = ""
    description: str = ""


@dataclass(frozen=True)
class DemoTheme:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoVenue:
    name: str
    city: str
    country: str


@dataclass(frozen=True)
class DemoPerson:
    """One person however the page spells them; ``name`` is the canonical spelling
    (no space between family and given name), blank when the page gives only a post."""

    name: str
    title: str  # the latest title known; the title on the day goes on the attendance
    organization: str | None = None


@dataclass(frozen=True)
class DemoAttendance:
    person: str  # key in PEOPLE
    title: str
    role: str


@dataclass(frozen=True)
class DemoLink:
    label: str
    url: str


@dataclass(frozen=True)
class DemoPhoto:
    caption: str
    alt_text: str
    people: tuple[str, ...] = ()  # keys in PEOPLE, only those the caption names


@dataclass(frozen=True)
class DemoActivity:
    slug: str
    title: str
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    summary: str
    paragraphs: tuple[str, ...]
    venues: tuple[str, ...] = ()  # keys in VENUES
    partners: tuple[str, ...] = ()  # organization slugs
    themes: tuple[str, ...] = ()  # theme slugs
    attendances: tuple[DemoAttendance, ...] = ()
    links: tuple[DemoLink, ...] = ()
    photos: tuple[DemoPhoto, ...] = ()

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


DEPARTMENT = DemoDepartment(
    name="都市戦略本部 未来都市推進部 環境未来都市推進担当",
    phone="048-829-1457",
    fax="048-829-1997",
    inquiry_url=CITY_HOME,
)

OrgKind = Organization.Kind

# Parents come before their children.
ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        slug="mofa",
        name="外務省",
        short_name="MOFA",
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        website=MOFA_HOME,
        description="日本の外交を担う国の行政機関です。",
    ),
    DemoOrganization(
        slug="mofa-international-cooperation-bureau",
        name="外務省 国際協力局",
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        parent="mofa",
        description="外務省で開発協力や地球規模の課題を担当する局です。",
    ),
    DemoOrganization(
        slug="mofa-climate-change-division",
        name="外務省 国際協力局 気候変動課",
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        parent="mofa-international-cooperation-bureau",
        description="外務省で気候変動に関する外交を担当する課です。",
    ),
    DemoOrganization(
        slug="moe",
        name="環境省",
        short_name="MOE",
        kind=OrgKind.NATIONAL_GOVERNMENT,
        country="JP",
        website=MOE_HOME,
        description="地球環境の保全や脱炭素社会づくりを担う国の行政機関です。",
    ),
    DemoOrganization(
        slug="iclei",
        name="イクレイ（ICLEI）",
        short_name="ICLEI",
        kind=OrgKind.INTERNATIONAL_NETWORK,
        country="DE",
        website=ICLEI_HOME,
        description=(
            "持続可能な都市と地域をめざす自治体の国際ネットワーク"
            "（ICLEI – Local Governments for Sustainability）です。"
            "世界事務局はドイツ・ボン市にあります。"
        ),
    ),
    DemoOrganization(
        slug="iclei-japan",
        name="イクレイ日本",
        short_name="ICLEI Japan",
        kind=OrgKind.INTERNATIONAL_NETWORK,
        country="JP",
        parent="iclei",
        website=ICLEI_JAPAN_HOME,
        description="イクレイの日本における拠点です。",
    ),
    DemoOrganization(
        slug="iclei-east-asia",
        name="イクレイ東アジア事務局",
        short_name="ICLEI East Asia",
        kind=OrgKind.INTERNATIONAL_NETWORK,
        country="KR",
        parent="iclei",
        website=ICLEI_EAST_ASIA_HOME,
        description="日本・中国・台湾・韓国の会員によるイクレイ東アジア地域の事務局です。",
    ),
    DemoOrganization(
        slug="freiburg",
        name="フライブルク市",
        kind=OrgKind.LOCAL_GOVERNMENT,
        country="DE",
        description="ドイツ南西部の都市で、環境先進都市として知られています。",
    ),
    DemoOrganization(
        slug="basel",
        name="バーゼル市",
        kind=OrgKind.LOCAL_GOVERNMENT,
        country="CH",
        description="スイス北西部の都市です。バーゼル＝シュタット準州として州と市の行政を兼ねています。",
    ),
    # JETRO is an incorporated administrative agency, not a ministry: listing it
    # as national government would put a trade office among the ministries.
    DemoOrganization(
        slug="jetro",
        name="日本貿易振興機構（ジェトロ）",
        short_name="JETRO",
        kind=OrgKind.OTHER,
        country="JP",
        description="日本と海外の貿易・投資を促進する独立行政法人です。",
    ),
    DemoOrganization(
        slug="jetro-dusseldorf",
        name="ジェトロ・デュッセルドルフ事務所",
        kind=OrgKind.OTHER,
        country="DE",
        parent="jetro",
        description="ドイツ・デュッセルドルフ市にあるジェトロの海外事務所です。",
    ),
    DemoOrganization(
        slug="djw",
        name="独日産業協会",
        short_name="DJW",
        kind=OrgKind.BUSINESS,
        country="DE",
        description=(
            "ドイツと日本の企業の交流を支援する経済団体"
            "（Deutsch-Japanischer Wirtschaftskreis）です。"
        ),
    ),
    DemoOrganization(
        slug="suwon",
        name="水原市",
        kind=OrgKind.LOCAL_GOVERNMENT,
        country="KR",
        description="韓国・京畿道の都市です。",
    ),
)

THEMES: tuple[DemoTheme, ...] = (
    DemoTheme(
        "decarbonization",
        "脱炭素",
        "温室効果ガスの排出を減らし、実質ゼロをめざす取組です。",
    ),
    DemoTheme(
        "electric-mobility",
        "電動モビリティ",
        "電気自動車やパーソナルモビリティなど、電気で動く乗り物の普及に向けた取組です。",
    ),
    DemoTheme(
        "smart-city",
        "スマートシティ",
        "エネルギーや交通の新しい技術を生かし、暮らしやすく持続可能なまちをつくる取組です。",
    ),
    DemoTheme(
        "renewable-energy",
        "再生可能エネルギー",
        "太陽光や風力など、自然の力から得られるエネルギーの活用に向けた取組です。",
    ),
    DemoTheme(
        "sustainable-transport",
        "持続可能な交通",
        "環境にやさしく、誰もが移動しやすい交通の実現に向けた取組です。",
    ),
    DemoTheme(
        "economic-cooperation",
        "経済交流",
        "海外の自治体や企業、経済団体と連携して経済分野での協力を深める取組です。",
    ),
)

# No addresses or coordinates: the page names the places only.
VENUES: dict[str, DemoVenue] = {
    "saitama-city-hall": DemoVenue("さいたま市役所", "さいたま市", "JP"),
    "iclei-world-secretariat": DemoVenue("イクレイ世界事務局", "ボン市", "DE"),
    "basel": DemoVenue("バーゼル市", "バーゼル市", "CH"),
    "freiburg": DemoVenue("フライブルク市", "フライブルク市", "DE"),
    "china-national-convention-center": DemoVenue("中国国際会議場", "北京市", "CN"),
    "suwon-hwaseong-haenggung": DemoVenue("水原華城行宮広場 国際会議場", "水原市", "KR"),
}

PEOPLE: dict[str, DemoPerson] = {
    "shimizu": DemoPerson("清水勇人", "さいたま市長"),
    "homma": DemoPerson("本間和義", "さいたま市副市長"),
    # The page names this official by post only.
    "future-city-deputy-director": DemoPerson("", "さいたま市未来都市推進部 副参事"),
    "mofa-climate-director": DemoPerson(
        "", "外務省気候変動課長", organization="mofa-climate-change-division"
    ),
    "hamanaka": DemoPerson("浜中裕徳", "イクレイ日本・理事長", organization="iclei-japan"),
    "uchida": DemoPerson("内田東吾", "イクレイ日本・事務局長", organization="iclei-japan"),
    # Minister of the Environment until September 2019.
    "harada": DemoPerson("原田義昭", "元環境大臣"),
    # The page spells him both ベキン and ベギン; ベギン is the caption's spelling.
    "van-begin": DemoPerson("ジノ・ヴァン・ベギン", "イクレイ世界事務局長", organization="iclei"),
    "ott": DemoPerson("ルーカス・オット", "バーゼル市長（兼市議会議員）", organization="basel"),
    "horn": DemoPerson("マーティン・ホーン", "フライブルク市長", organization="freiburg"),
    "watanabe": DemoPerson(
        "渡邉全佳", "ジェトロ・デュッセルドルフ事務所所長", organization="jetro-dusseldorf"
    ),
    "munch": DemoPerson("ユリア・ミュンヒ", "独日産業協会常任理事・事務局長", organization="djw"),
    "zimmermann": DemoPerson(
        "モニカ・ジンマーマン", "イクレイ世界事務局次長", organization="iclei"
    ),
}

Role = Attendance.Role
ActivityKind = Activity.Kind

MAYOR = DemoAttendance("shimizu", "さいたま市長", Role.DELEGATION)
MAYOR_SPEECH_CAPTION = "市長講演の様子"
ICLEI_AWARD_CAPTION = (
    "イクレイ世界事務局次長との面会・記念品の贈呈　"
    "イクレイ世界事務局次長 モニカ・ジンマーマン氏(左)　さいたま市長 清水 勇人(右)"
)

ACTIVITIES: tuple[DemoActivity, ...] = (
    DemoActivity(
        slug="2020-02-28-mofa-climate-change-division",
        title="外務省気候変動課への訪問",
        kind=ActivityKind.MEETING,
        start_date=datetime.date(2020, 2, 28),
        end_date=None,
        summary=(
            "外務省国際協力局気候変動課を訪問し、「E-KIZUNA Project」などさいたま市の取組を"
            "紹介するとともに、「E-KIZUNAグローバルサミット」に向けて意見交換を行いました。"
        ),
        paragraphs=(
            "外務省国際協力局・気候変動課を訪問し、「E-KIZUNA Project」や"
            "「次世代自動車・スマートエネルギー特区」など、さいたま市の取組を紹介しました。",
            "また、2021年度に開催予定の「E-KIZUNAグローバルサミット」に向けた意見交換を"
            "行いました。",
        ),
        partners=("mofa-climate-change-division",),
        themes=("decarbonization", "electric-mobility", "smart-city"),
        attendances=(
            DemoAttendance(
                "future-city-deputy-director", "さいたま市未来都市推進部 副参事", Role.DELEGATION
            ),
            DemoAttendance("mofa-climate-director", "外務省気候変動課長", Role.COUNTERPART),
        ),
        links=(
            DemoLink("外務省ホームページ", MOFA_HOME),
            DemoLink("さいたま市ホームページ", CITY_HOME),
        ),
        photos=(
            DemoPhoto(
                "さいたま市未来都市推進部 副参事(左)　外務省気候変動課長(中央)",
                "仮画像（外務省訪問の写真の代わり）",
                ("future-city-deputy-director", "mofa-climate-director"),
            ),
        ),
    ),
    DemoActivity(
        slug="2019-10-30-iclei-japan-courtesy-call",
        title="イクレイ日本理事長との面会",
        kind=ActivityKind.COURTESY_CALL,
        start_date=datetime.date(2019, 10, 30),
        end_date=None,
        summary=(
            "イクレイ日本の浜中理事長と内田事務局長が市長を表敬訪問し、"
            "「(仮称)E-KIZUNAグローバルサミット」の開催に向けてイクレイから積極的な協力を"
            "いただけることを確認しました。"
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
        venues=("saitama-city-hall",),
        partners=("iclei-japan", "iclei-east-asia"),
        themes=("smart-city", "decarbonization"),
        attendances=(
            MAYOR,
            DemoAttendance("hamanaka", "イクレイ日本・理事長", Role.VISITOR),
            DemoAttendance("uchida", "イクレイ日本・事務局長", Role.VISITOR),
        ),
        links=(
            DemoLink("イクレイ東アジア事務局ホームページ（英語）", ICLEI_EAST_ASIA_HOME),
            DemoLink("イクレイ日本ホームページ", ICLEI_JAPAN_HOME),
        ),
        photos=(
            DemoPhoto(
                "イクレイ日本・理事長 浜中 裕徳 氏 (左)　イクレイ日本・事務局長 内田 東吾 氏 (右)"
                "　さいたま市長 清水 勇人 (中央)",
                "仮画像（イクレイ日本理事長・事務局長の表敬訪問の写真の代わり）",
                ("hamanaka", "uchida", "shimizu"),
            ),
        ),
    ),
    DemoActivity(
        slug="2019-03-13-request-to-environment-minister",
        title="原田環境大臣への要望",
        kind=ActivityKind.REQUEST,
        start_date=datetime.date(2019, 3, 13),
        end_date=None,
        summary=(
            "市長が原田環境大臣を訪問し、「(仮称)E-KIZUNAグローバルサミット」への支援と、"
            "電動モビリティを活用した地域の脱炭素化モデルの構築への協力・支援を要望しました。"
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
        partners=("moe",),
        themes=("decarbonization", "electric-mobility"),
        attendances=(MAYOR, DemoAttendance("harada", "環境大臣", Role.COUNTERPART)),
        photos=(
            DemoPhoto(
                "原田環境大臣への要望　環境大臣 原田義昭 氏(右)　さいたま市長 清水 勇人(左)",
                "仮画像（原田環境大臣への要望の写真の代わり）",
                ("harada", "shimizu"),
            ),
        ),
    ),
    DemoActivity(
        slug="2018-10-23-iclei-world-secretariat-agreement",
        title="イクレイ世界事務局長と面会",
        kind=ActivityKind.AGREEMENT,
        start_date=datetime.date(2018, 10, 23),
        end_date=None,
        summary=(
            "市長がドイツ・ボン市のイクレイ世界事務局を訪問してジノ・ヴァン・ベギン世界事務局長と"
            "面会し、イクレイとさいたま市の相互協力に関する協定を締結しました。"
        ),
        paragraphs=(
            "ドイツ・ボン市を拠点とする「イクレイ世界事務局」を市長が訪問しました。",
            "イクレイ世界事務局長のジノ・ヴァン・ベキン氏と面会し、本市の取組を紹介するほか、"
            "2021年度に開催予定の「(仮称)E-KIZUNAグローバルサミット」に向けて協力を要請。"
            "イクレイとさいたま市における相互協力に関する協定を締結しました。",
        ),
        venues=("iclei-world-secretariat",),
        partners=("iclei",),
        themes=("decarbonization", "electric-mobility"),
        attendances=(MAYOR, DemoAttendance("van-begin", "イクレイ世界事務局長", Role.COUNTERPART)),
        links=(DemoLink("イクレイ（ICLEI）ホームページ（英語）", ICLEI_HOME),),
        photos=(
            DemoPhoto("イクレイとの協定締結の様子", "仮画像（イクレイとの協定締結の写真の代わり）"),
            DemoPhoto(
                "イクレイ世界事務局長 ジノ・ヴァン・ベギン氏(左)との会談",
                "仮画像（イクレイ世界事務局長との会談の写真の代わり）",
                ("van-begin",),
            ),
        ),
    ),
    DemoActivity(
        slug="2018-10-22-renewable-energy-conference-basel-freiburg",
        title="地域再生可能エネルギー国際会議2018への出席等",
        kind=ActivityKind.CONFERENCE,
        start_date=datetime.date(2018, 10, 22),
        end_date=datetime.date(2018, 10, 25),
        summary=(
            "市長がスイス・バーゼル市とドイツ・フライブルク市で地域再生可能エネルギー国際会議2018に"
            "出席し、両市長に本市の取組をトップセールスしました。ジェトロ・デュッセルドルフ事務所と"
            "独日産業協会も訪問し、経済分野での協力を確認しました。"
        ),
        paragraphs=(
            "再生可能エネルギー国際会議2018では、フライブルク市長(ドイツ)・バーゼル市長(スイス)と"
            "面会し、「E-KIZUNA Project」をはじめとする本市の取組のトップセールスを行いました。"
            "また、ジェトロ・デュッセルドルフ事務所、独日産業協会を訪問し、経済分野における協力の"
            "確認、今後の都市間連携を確認しました。",
        ),
        venues=("basel", "freiburg"),
        partners=("freiburg", "basel", "jetro-dusseldorf", "djw"),
        themes=("renewable-energy", "electric-mobility", "economic-cooperation"),
        attendances=(
            MAYOR,
            DemoAttendance("ott", "バーゼル市長（兼市議会議員）", Role.COUNTERPART),
            DemoAttendance("horn", "フライブルク市長", Role.COUNTERPART),
            DemoAttendance("watanabe", "ジェトロ・デュッセルドルフ事務所所長", Role.COUNTERPART),
            DemoAttendance("munch", "独日産業協会常任理事・事務局長", Role.COUNTERPART),
        ),
        photos=(
            DemoPhoto(
                "バーゼル市長(兼市議会議員) ルーカス・オット氏(右)との面会",
                "仮画像（バーゼル市長との面会の写真の代わり）",
                ("ott",),
            ),
            DemoPhoto(
                "フライブルク市長 マーティン・ホーン氏(右)との面会",
                "仮画像（フライブルク市長との面会の写真の代わり）",
                ("horn",),
            ),
            DemoPhoto(
                "ジェトロ・デュッセルドルフ事務所所長 渡邉全佳氏(右)",
                "仮画像（ジェトロ・デュッセルドルフ事務所訪問の写真の代わり）",
                ("watanabe",),
            ),
            DemoPhoto(
                "独日産業協会常任理事・事務局長 Dr.ユリア・ミュンヒ氏(中央)",
                "仮画像（独日産業協会訪問の写真の代わり）",
                ("munch",),
            ),
        ),
    ),
    DemoActivity(
        slug="2017-06-04-world-transport-convention-beijing",
        title="世界交通会議2017",
        kind=ActivityKind.CONFERENCE,
        start_date=datetime.date(2017, 6, 4),
        end_date=datetime.date(2017, 6, 6),
        summary=(
            "副市長が「世界交通会議2017」の主な会合の一つ、持続可能なモビリティに関する"
            "国際首長フォーラムに出席し、低炭素型パーソナルモビリティの普及に向けた本市の取組を"
            "PRしました。"
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
        venues=("china-national-convention-center",),
        themes=("sustainable-transport", "electric-mobility"),
        attendances=(DemoAttendance("homma", "さいたま市副市長", Role.DELEGATION),),
        photos=(
            DemoPhoto(
                "副市長講演の様子",
                "仮画像（世界交通会議2017での副市長講演の写真の代わり）",
                ("homma",),
            ),
        ),
    ),
    DemoActivity(
        slug="2013-08-31-ecomobility-2013-suwon",
        title="エコモビリティ2013水原(スウォン)会議",
        kind=ActivityKind.CONFERENCE,
        start_date=datetime.date(2013, 8, 31),
        end_date=datetime.date(2013, 9, 2),
        summary=(
            "市長がエコモビリティ2013水原会議及び東アジア低炭素都市フォーラムに出席し、"
            "講演とブース出展でさいたま市のエコモビリティに関する施策を発信しました。"
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
        venues=("suwon-hwaseong-haenggung",),
        partners=("iclei", "suwon"),
        themes=("sustainable-transport", "electric-mobility"),
        attendances=(MAYOR,),
        # The page shows two photos under one caption.
        photos=(
            DemoPhoto(
                MAYOR_SPEECH_CAPTION,
                "仮画像（水原会議での市長講演の写真1枚目の代わり）",
                ("shimizu",),
            ),
            DemoPhoto(
                MAYOR_SPEECH_CAPTION,
                "仮画像（水原会議での市長講演の写真2枚目の代わり）",
                ("shimizu",),
            ),
        ),
    ),
    DemoActivity(
        slug="2013-07-21-iclei-membership",
        title="イクレイへの加盟",
        kind=ActivityKind.MEMBERSHIP,
        start_date=datetime.date(2013, 7, 21),
        end_date=None,
        summary=(
            "市長がイクレイ世界事務局次長を訪問して会員証を授与され、さいたま市はイクレイに"
            "加盟しました。"
        ),
        paragraphs=("イクレイ世界事務局次長を訪問し、会員証を授与されました。",),
        partners=("iclei",),
        themes=("decarbonization",),
        attendances=(
            MAYOR,
            DemoAttendance("zimmermann", "イクレイ世界事務局次長", Role.COUNTERPART),
        ),
        links=(DemoLink("さいたま市ホームページ", CITY_HOME),),
        photos=(
            DemoPhoto(
                ICLEI_AWARD_CAPTION,
                "仮画像（イクレイ会員証授与式の写真1枚目の代わり）",
                ("zimmermann", "shimizu"),
            ),
            DemoPhoto(
                ICLEI_AWARD_CAPTION,
                "仮画像（イクレイ会員証授与式の写真2枚目の代わり）",
                ("zimmermann", "shimizu"),
            ),
        ),
    ),
)
