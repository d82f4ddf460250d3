"""Seed a database of its own with a synthetic archive, for `make bench` (bench/run.py).

``python bench/seed.py --n 100000`` writes N published activities (and about 2%
drafts) from 1990 to 2025 with some 300 partner organizations (ministries with
bureaus and divisions, networks with regional offices, cities, embassies...), 20
themes, 2,000 people, 500 venues in 40 countries, attendances, links and photos,
in Japanese and English. The same N and seed give the same rows. It runs with the
project's settings (DJANGO_SETTINGS_MODULE, DATABASE_URL) like manage.py.

What the benchmark needs to know about the data it measures (the showcase
activity with 12 photos and 8 people, the terms that occur in exactly one
activity, a year + partner + theme filter that matches a page or more) is kept
in the database itself, in the table ``bench_seed`` (not a Django model: it
belongs to the benchmark database only), and written with ``--manifest``.

Running it again on a database that holds the same seed does nothing. It refuses
a database that holds anything else: the benchmark seeds databases of its own.

Rows go in with ``bulk_create``, which bypasses ``save()`` and its signals, so
what the project keeps in step on save is done here: each activity's
``search_document`` is written with the row, made by the project's own
``search.document_of`` (the database's full-text index follows it), the
organization tree is rebuilt, and a sample of documents is checked against what
``document_of`` makes of the saved rows.

Photos: the project's photo processing (activities/images.py) makes one
placeholder image and its renditions; every photo row points at those shared
files.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from activities import search  # noqa: E402
from activities.changes import archive_changed  # noqa: E402
from activities.management.commands.load_demo import placeholder_jpeg  # noqa: E402
from activities.models import (  # noqa: E402
    Activity,
    ActivityLink,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Attendance,
    Department,
    Organization,
    OrganizationAncestor,
    Participant,
    Photo,
    Theme,
    Venue,
)

# Bump when the generator changes what it writes: the benchmark then reseeds.
SEED_VERSION = 1
MARKER_TABLE = "bench_seed"

ORGANIZATION_COUNT = 300
PEOPLE_COUNT = 2000
CITY_STAFF_COUNT = 300
VENUE_COUNT = 500
FIRST_YEAR, LAST_YEAR = 1990, 2025
DRAFT_SHARE = 50  # one draft for every 50 published activities
CHUNK = 5000  # activities generated and written at a time
TOKYO = ZoneInfo("Asia/Tokyo")

# Made-up words, each written into exactly one activity: searching for one must
# find that activity alone. The generator's vocabulary shares no part of them.
RARE_TERMS = (
    ("ja", "ミルトヴァルク"),
    ("en", "Zorvenhollow"),
    ("ja", "翠嶺湖宣言"),
)
COMMON_TERM = ("ja", "環境")
FILTER_PARTNER = "iclei"
FILTER_THEME = "decarbonization"

COUNTRIES = {
    "JP": ("日本", "Japan"),
    "DE": ("ドイツ", "Germany"),
    "US": ("アメリカ合衆国", "the United States"),
    "CN": ("中国", "China"),
    "KR": ("韓国", "the Republic of Korea"),
    "TW": ("台湾", "Taiwan"),
    "FR": ("フランス", "France"),
    "GB": ("英国", "the United Kingdom"),
    "CH": ("スイス", "Switzerland"),
    "IT": ("イタリア", "Italy"),
    "ES": ("スペイン", "Spain"),
    "NL": ("オランダ", "the Netherlands"),
    "SE": ("スウェーデン", "Sweden"),
    "DK": ("デンマーク", "Denmark"),
    "FI": ("フィンランド", "Finland"),
    "NO": ("ノルウェー", "Norway"),
    "AT": ("オーストリア", "Austria"),
    "BE": ("ベルギー", "Belgium"),
    "PL": ("ポーランド", "Poland"),
    "CA": ("カナダ", "Canada"),
    "MX": ("メキシコ", "Mexico"),
    "BR": ("ブラジル", "Brazil"),
    "AR": ("アルゼンチン", "Argentina"),
    "CL": ("チリ", "Chile"),
    "AU": ("オーストラリア", "Australia"),
    "NZ": ("ニュージーランド", "New Zealand"),
    "SG": ("シンガポール", "Singapore"),
    "MY": ("マレーシア", "Malaysia"),
    "TH": ("タイ", "Thailand"),
    "VN": ("ベトナム", "Viet Nam"),
    "ID": ("インドネシア", "Indonesia"),
    "PH": ("フィリピン", "the Philippines"),
    "IN": ("インド", "India"),
    "MN": ("モンゴル", "Mongolia"),
    "KE": ("ケニア", "Kenya"),
    "ZA": ("南アフリカ", "South Africa"),
    "EG": ("エジプト", "Egypt"),
    "AE": ("アラブ首長国連邦", "the United Arab Emirates"),
    "TR": ("トルコ", "Türkiye"),
    "PT": ("ポルトガル", "Portugal"),
}

CITIES = (
    ("さいたま", "Saitama", "JP"),
    ("東京", "Tokyo", "JP"),
    ("横浜", "Yokohama", "JP"),
    ("京都", "Kyoto", "JP"),
    ("北九州", "Kitakyushu", "JP"),
    ("富山", "Toyama", "JP"),
    ("ボン", "Bonn", "DE"),
    ("フライブルク", "Freiburg", "DE"),
    ("ベルリン", "Berlin", "DE"),
    ("ミュンヘン", "Munich", "DE"),
    ("デュッセルドルフ", "Düsseldorf", "DE"),
    ("ハンブルク", "Hamburg", "DE"),
    ("ニューヨーク", "New York", "US"),
    ("サンフランシスコ", "San Francisco", "US"),
    ("シアトル", "Seattle", "US"),
    ("ポートランド", "Portland", "US"),
    ("北京", "Beijing", "CN"),
    ("上海", "Shanghai", "CN"),
    ("天津", "Tianjin", "CN"),
    ("深圳", "Shenzhen", "CN"),
    ("ソウル", "Seoul", "KR"),
    ("水原", "Suwon", "KR"),
    ("釜山", "Busan", "KR"),
    ("仁川", "Incheon", "KR"),
    ("台北", "Taipei", "TW"),
    ("高雄", "Kaohsiung", "TW"),
    ("パリ", "Paris", "FR"),
    ("リヨン", "Lyon", "FR"),
    ("ストラスブール", "Strasbourg", "FR"),
    ("ロンドン", "London", "GB"),
    ("マンチェスター", "Manchester", "GB"),
    ("バーゼル", "Basel", "CH"),
    ("ジュネーブ", "Geneva", "CH"),
    ("チューリッヒ", "Zurich", "CH"),
    ("ローマ", "Rome", "IT"),
    ("ミラノ", "Milan", "IT"),
    ("トリノ", "Turin", "IT"),
    ("バルセロナ", "Barcelona", "ES"),
    ("マドリード", "Madrid", "ES"),
    ("アムステルダム", "Amsterdam", "NL"),
    ("ロッテルダム", "Rotterdam", "NL"),
    ("ストックホルム", "Stockholm", "SE"),
    ("マルメ", "Malmö", "SE"),
    ("コペンハーゲン", "Copenhagen", "DK"),
    ("オーフス", "Aarhus", "DK"),
    ("ヘルシンキ", "Helsinki", "FI"),
    ("オスロ", "Oslo", "NO"),
    ("ウィーン", "Vienna", "AT"),
    ("ブリュッセル", "Brussels", "BE"),
    ("ワルシャワ", "Warsaw", "PL"),
    ("バンクーバー", "Vancouver", "CA"),
    ("トロント", "Toronto", "CA"),
    ("メキシコシティ", "Mexico City", "MX"),
    ("サンパウロ", "São Paulo", "BR"),
    ("クリチバ", "Curitiba", "BR"),
    ("ブエノスアイレス", "Buenos Aires", "AR"),
    ("サンティアゴ", "Santiago", "CL"),
    ("シドニー", "Sydney", "AU"),
    ("メルボルン", "Melbourne", "AU"),
    ("オークランド", "Auckland", "NZ"),
    ("シンガポール", "Singapore", "SG"),
    ("クアラルンプール", "Kuala Lumpur", "MY"),
    ("バンコク", "Bangkok", "TH"),
    ("ハノイ", "Hanoi", "VN"),
    ("ホーチミン", "Ho Chi Minh City", "VN"),
    ("ジャカルタ", "Jakarta", "ID"),
    ("マニラ", "Manila", "PH"),
    ("ニューデリー", "New Delhi", "IN"),
    ("ムンバイ", "Mumbai", "IN"),
    ("ウランバートル", "Ulaanbaatar", "MN"),
    ("ナイロビ", "Nairobi", "KE"),
    ("ケープタウン", "Cape Town", "ZA"),
    ("カイロ", "Cairo", "EG"),
    ("ドバイ", "Dubai", "AE"),
    ("イスタンブール", "Istanbul", "TR"),
    ("リスボン", "Lisbon", "PT"),
)

VENUE_KINDS = (
    ("市庁舎", "{} City Hall"),
    ("国際会議場", "{} International Convention Centre"),
    ("大学", "University of {}"),
    ("環境センター", "{} Environment Centre"),
    ("駅前広場", "{} Station Square"),
    ("見本市会場", "{} Exhibition Centre"),
    ("迎賓館", "{} State Guest House"),
    ("グランドホテル", "Grand Hotel {}"),
    ("港湾地区", "{} Harbour District"),
    ("科学館", "{} Science Museum"),
    ("市民会館", "{} Civic Hall"),
    ("日本総領事館", "Consulate-General of Japan in {}"),
)

K = Organization.Kind
# slug, name, English name, short name (ja, en), kind, country, parent slug, weight.
# Parents come first. The weight is how often the partner appears in activities.
NAMED_ORGANIZATIONS: tuple[tuple[Any, ...], ...] = (
    ("iclei", "イクレイ（ICLEI）", "ICLEI – Local Governments for Sustainability",
     "ICLEI", "ICLEI", K.INTERNATIONAL_NETWORK, "DE", None, 40),
    ("iclei-japan", "イクレイ日本", "ICLEI Japan",
     "イクレイ日本", "ICLEI Japan", K.INTERNATIONAL_NETWORK, "JP", "iclei", 25),
    ("iclei-east-asia", "イクレイ東アジア事務局", "ICLEI East Asia Secretariat",
     "", "ICLEI East Asia", K.INTERNATIONAL_NETWORK, "KR", "iclei", 12),
    ("iclei-europe", "イクレイ欧州事務局", "ICLEI Europe",
     "", "ICLEI Europe", K.INTERNATIONAL_NETWORK, "DE", "iclei", 6),
    ("iclei-south-asia", "イクレイ南アジア事務局", "ICLEI South Asia",
     "", "ICLEI South Asia", K.INTERNATIONAL_NETWORK, "IN", "iclei", 3),
    ("iclei-southeast-asia", "イクレイ東南アジア事務局", "ICLEI Southeast Asia",
     "", "ICLEI Southeast Asia", K.INTERNATIONAL_NETWORK, "PH", "iclei", 3),
    ("c40", "C40世界大都市気候先導グループ", "C40 Cities Climate Leadership Group",
     "C40", "C40", K.INTERNATIONAL_NETWORK, "GB", None, 12),
    ("uclg", "都市・自治体連合", "United Cities and Local Governments",
     "UCLG", "UCLG", K.INTERNATIONAL_NETWORK, "ES", None, 8),
    ("uclg-aspac", "都市・自治体連合アジア太平洋支部", "UCLG Asia-Pacific",
     "UCLG ASPAC", "UCLG ASPAC", K.INTERNATIONAL_NETWORK, "ID", "uclg", 5),
    ("citynet", "シティネット", "CityNet",
     "", "", K.INTERNATIONAL_NETWORK, "KR", None, 8),
    ("metropolis", "世界大都市圏協会", "Metropolis",
     "メトロポリス", "Metropolis", K.INTERNATIONAL_NETWORK, "ES", None, 5),
    ("gcom", "世界首長誓約", "Global Covenant of Mayors for Climate & Energy",
     "GCoM", "GCoM", K.INTERNATIONAL_NETWORK, "BE", None, 8),
    ("gcom-japan", "世界首長誓約／日本", "Global Covenant of Mayors Japan",
     "", "", K.INTERNATIONAL_NETWORK, "JP", "gcom", 5),
    ("eurocities", "ユーロシティ", "Eurocities",
     "", "", K.INTERNATIONAL_NETWORK, "BE", None, 3),
    ("mayors-for-peace", "平和首長会議", "Mayors for Peace",
     "", "", K.INTERNATIONAL_NETWORK, "JP", None, 4),
    ("mofa", "外務省", "Ministry of Foreign Affairs of Japan",
     "MOFA", "MOFA", K.NATIONAL_GOVERNMENT, "JP", None, 20),
    ("mofa-international-cooperation-bureau", "外務省 国際協力局",
     "International Cooperation Bureau, Ministry of Foreign Affairs of Japan",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "mofa", 8),
    ("mofa-climate-change-division", "外務省 国際協力局 気候変動課",
     "Climate Change Division, Ministry of Foreign Affairs of Japan",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "mofa-international-cooperation-bureau", 6),
    ("mofa-european-affairs-bureau", "外務省 欧州局",
     "European Affairs Bureau, Ministry of Foreign Affairs of Japan",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "mofa", 4),
    ("moe", "環境省", "Ministry of the Environment of Japan",
     "MOE", "MOE", K.NATIONAL_GOVERNMENT, "JP", None, 20),
    ("moe-global-environment-bureau", "環境省 地球環境局",
     "Global Environment Bureau, Ministry of the Environment of Japan",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "moe", 8),
    ("moe-international-cooperation-office", "環境省 地球環境局 国際連携課",
     "International Cooperation Division, Ministry of the Environment of Japan",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "moe-global-environment-bureau", 5),
    ("meti", "経済産業省", "Ministry of Economy, Trade and Industry",
     "METI", "METI", K.NATIONAL_GOVERNMENT, "JP", None, 8),
    ("meti-trade-policy-bureau", "経済産業省 通商政策局",
     "Trade Policy Bureau, Ministry of Economy, Trade and Industry",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "meti", 3),
    ("mlit", "国土交通省", "Ministry of Land, Infrastructure, Transport and Tourism",
     "MLIT", "MLIT", K.NATIONAL_GOVERNMENT, "JP", None, 6),
    ("mlit-city-bureau", "国土交通省 都市局",
     "City Bureau, Ministry of Land, Infrastructure, Transport and Tourism",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "mlit", 3),
    ("mic", "総務省", "Ministry of Internal Affairs and Communications",
     "", "MIC", K.NATIONAL_GOVERNMENT, "JP", None, 3),
    ("mext", "文部科学省", "Ministry of Education, Culture, Sports, Science and Technology",
     "", "MEXT", K.NATIONAL_GOVERNMENT, "JP", None, 3),
    ("cao", "内閣府", "Cabinet Office", "", "", K.NATIONAL_GOVERNMENT, "JP", None, 4),
    ("cao-regional-revitalization", "内閣府 地方創生推進事務局",
     "Secretariat for the Promotion of Regional Revitalization, Cabinet Office",
     "", "", K.NATIONAL_GOVERNMENT, "JP", "cao", 3),
    ("de-bmuv", "ドイツ連邦環境省", "German Federal Ministry for the Environment",
     "BMUV", "BMUV", K.NATIONAL_GOVERNMENT, "DE", None, 4),
    ("kr-me", "韓国環境部", "Ministry of Environment of the Republic of Korea",
     "", "", K.NATIONAL_GOVERNMENT, "KR", None, 3),
    ("cn-mee", "中国生態環境部", "Ministry of Ecology and Environment of China",
     "", "", K.NATIONAL_GOVERNMENT, "CN", None, 3),
    ("us-epa", "米国環境保護庁", "United States Environmental Protection Agency",
     "EPA", "EPA", K.NATIONAL_GOVERNMENT, "US", None, 2),
    ("unep", "国連環境計画", "United Nations Environment Programme",
     "UNEP", "UNEP", K.OTHER, "KE", None, 5),
    ("un-habitat", "国連人間居住計画", "UN-Habitat",
     "", "", K.OTHER, "KE", None, 4),
    ("oecd", "経済協力開発機構", "Organisation for Economic Co-operation and Development",
     "OECD", "OECD", K.OTHER, "FR", None, 3),
    ("jica", "国際協力機構", "Japan International Cooperation Agency",
     "JICA", "JICA", K.OTHER, "JP", None, 8),
    ("clair", "自治体国際化協会", "Council of Local Authorities for International Relations",
     "クレア", "CLAIR", K.OTHER, "JP", None, 5),
    ("clair-london", "自治体国際化協会 ロンドン事務所", "CLAIR London",
     "", "", K.OTHER, "GB", "clair", 2),
    ("jetro", "日本貿易振興機構（ジェトロ）", "Japan External Trade Organization (JETRO)",
     "JETRO", "JETRO", K.OTHER, "JP", None, 6),
    ("jetro-dusseldorf", "ジェトロ・デュッセルドルフ事務所", "JETRO Düsseldorf",
     "", "", K.OTHER, "DE", "jetro", 3),
    ("jetro-new-york", "ジェトロ・ニューヨーク事務所", "JETRO New York",
     "", "", K.OTHER, "US", "jetro", 2),
    ("jetro-bangkok", "ジェトロ・バンコク事務所", "JETRO Bangkok",
     "", "", K.OTHER, "TH", "jetro", 2),
    ("djw", "独日産業協会", "Deutsch-Japanischer Wirtschaftskreis",
     "DJW", "DJW", K.BUSINESS, "DE", None, 3),
    ("unu", "国連大学", "United Nations University",
     "UNU", "UNU", K.ACADEMIC, "JP", None, 4),
    ("saitama-university", "埼玉大学", "Saitama University",
     "", "", K.ACADEMIC, "JP", None, 4),
)  # fmt: skip

COMPANY_WORDS = (
    ("さくら", "Sakura"),
    ("あおば", "Aoba"),
    ("ひかり", "Hikari"),
    ("みなと", "Minato"),
    ("むさし", "Musashi"),
    ("あさひ", "Asahi"),
)
COMPANY_KINDS = (
    ("エナジー株式会社", "Energy Co., Ltd."),
    ("モビリティ株式会社", "Mobility Co., Ltd."),
    ("環境システム株式会社", "Environmental Systems Co., Ltd."),
    ("水処理株式会社", "Water Solutions Co., Ltd."),
)
NGO_FIRST = (("みどりの", "Green"), ("アジア", "Asia"), ("市民", "Citizens'"), ("未来の", "Future"))
NGO_SECOND = (
    ("地球ネットワーク", "Earth Network"),
    ("気候アクション", "Climate Action"),
    ("まちづくりセンター", "Community Design Centre"),
    ("交流協会", "Exchange Association"),
    ("環境フォーラム", "Environment Forum"),
)

THEMES = (
    ("decarbonization", "脱炭素", "Decarbonization", 10),
    ("environment", "環境保全", "Environmental protection", 8),
    ("renewable-energy", "再生可能エネルギー", "Renewable energy", 5),
    ("smart-city", "スマートシティ", "Smart city", 5),
    ("electric-mobility", "電動モビリティ", "Electric mobility", 4),
    ("economic-cooperation", "経済交流", "Economic cooperation", 4),
    ("climate-adaptation", "気候変動適応", "Climate adaptation", 3),
    ("sustainable-transport", "持続可能な交通", "Sustainable transport", 3),
    ("disaster-risk-reduction", "防災", "Disaster risk reduction", 3),
    ("water", "水環境", "Water", 2),
    ("waste", "廃棄物・資源循環", "Waste and resources", 2),
    ("biodiversity", "生物多様性", "Biodiversity", 2),
    ("tourism", "観光", "Tourism", 2),
    ("cultural-exchange", "文化交流", "Cultural exchange", 2),
    ("education", "教育・青少年交流", "Education and youth exchange", 2),
    ("sports", "スポーツ", "Sports", 1),
    ("health", "保健・医療", "Health", 1),
    ("sdgs", "SDGs", "SDGs", 3),
    ("international-cooperation", "国際協力", "International cooperation", 3),
    ("urban-planning", "まちづくり", "Urban planning", 2),
)

DEPARTMENTS = (
    ("都市戦略本部 国際交流課", "International Relations Division, Urban Strategy Bureau"),
    ("都市戦略本部 未来都市推進部", "Future City Promotion Department, Urban Strategy Bureau"),
    ("環境局 環境共生部 環境創造政策課", "Environmental Policy Division, Environment Bureau"),
    ("経済局 商工観光部 経済政策課", "Economic Policy Division, Economic Bureau"),
    ("経済局 商工観光部 観光国際課", "Tourism and International Division, Economic Bureau"),
    ("教育委員会 学校教育部 指導1課", "School Education Division, Board of Education"),
    ("建設局 都市計画部 交通政策課", "Transport Policy Division, Construction Bureau"),
    ("総務局 危機管理部 防災課", "Disaster Prevention Division, General Affairs Bureau"),
)

JAPANESE_FAMILY = (
    ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
    ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
    ("小林", "Kobayashi"), ("加藤", "Kato"), ("吉田", "Yoshida"), ("山田", "Yamada"),
    ("佐々木", "Sasaki"), ("山口", "Yamaguchi"), ("松本", "Matsumoto"), ("井上", "Inoue"),
    ("木村", "Kimura"), ("林", "Hayashi"), ("斎藤", "Saito"), ("清水", "Shimizu"),
    ("山崎", "Yamazaki"), ("森", "Mori"), ("池田", "Ikeda"), ("橋本", "Hashimoto"),
    ("阿部", "Abe"), ("石川", "Ishikawa"), ("山下", "Yamashita"), ("中島", "Nakajima"),
    ("石井", "Ishii"), ("小川", "Ogawa"), ("前田", "Maeda"), ("岡田", "Okada"),
    ("長谷川", "Hasegawa"), ("藤田", "Fujita"), ("後藤", "Goto"), ("近藤", "Kondo"),
    ("村上", "Murakami"), ("遠藤", "Endo"), ("青木", "Aoki"), ("坂本", "Sakamoto"),
)  # fmt: skip
JAPANESE_GIVEN = (
    ("大輔", "Daisuke"), ("健太", "Kenta"), ("翔太", "Shota"), ("拓也", "Takuya"),
    ("直樹", "Naoki"), ("誠", "Makoto"), ("浩", "Hiroshi"), ("隆", "Takashi"),
    ("明", "Akira"), ("修", "Osamu"), ("裕子", "Yuko"), ("恵子", "Keiko"),
    ("美穂", "Miho"), ("直美", "Naomi"), ("由美", "Yumi"), ("智子", "Tomoko"),
    ("真由美", "Mayumi"), ("陽子", "Yoko"), ("和也", "Kazuya"), ("健一", "Kenichi"),
    ("達也", "Tatsuya"), ("亮", "Ryo"), ("剛", "Tsuyoshi"), ("淳", "Jun"),
    ("聡", "Satoshi"), ("彩", "Aya"), ("千尋", "Chihiro"), ("葵", "Aoi"),
    ("理恵", "Rie"), ("学", "Manabu"),
)  # fmt: skip
FOREIGN_FAMILY = (
    ("ミュラー", "Müller"), ("シュミット", "Schmidt"), ("シュナイダー", "Schneider"),
    ("フィッシャー", "Fischer"), ("ヴェーバー", "Weber"), ("マイヤー", "Meyer"),
    ("ヴァーグナー", "Wagner"), ("ベッカー", "Becker"), ("デュポン", "Dupont"),
    ("マルタン", "Martin"), ("ベルナール", "Bernard"), ("ロッシ", "Rossi"),
    ("ルッソ", "Russo"), ("ガルシア", "García"), ("マルティネス", "Martínez"),
    ("スミス", "Smith"), ("ジョンソン", "Johnson"), ("ブラウン", "Brown"),
    ("ウィリアムズ", "Williams"), ("テイラー", "Taylor"), ("キム", "Kim"), ("イ", "Lee"),
    ("パク", "Park"), ("チェ", "Choi"), ("ワン", "Wang"), ("リー", "Li"),
    ("チャン", "Zhang"), ("リウ", "Liu"), ("チェン", "Chen"), ("グエン", "Nguyen"),
    ("ヤンセン", "Janssen"), ("デ・ヨング", "de Jong"), ("アンデション", "Andersson"),
    ("ニルセン", "Nilsen"), ("コヴァルスキ", "Kowalski"), ("シルバ", "Silva"),
    ("サントス", "Santos"), ("ゴメス", "Gómez"), ("シャルマ", "Sharma"), ("シン", "Singh"),
)  # fmt: skip
FOREIGN_GIVEN = (
    ("アンナ", "Anna"), ("トーマス", "Thomas"), ("マリア", "Maria"), ("ペーター", "Peter"),
    ("ユリア", "Julia"), ("ミヒャエル", "Michael"), ("ソフィー", "Sophie"),
    ("ルーカス", "Lukas"), ("エマ", "Emma"), ("ジャン", "Jean"), ("クレール", "Claire"),
    ("マルコ", "Marco"), ("ジュリア", "Giulia"), ("カルロス", "Carlos"), ("エレナ", "Elena"),
    ("ジョン", "John"), ("サラ", "Sarah"), ("デイビッド", "David"), ("ミンジュン", "Min-jun"),
    ("ジヨン", "Ji-young"), ("ウェイ", "Wei"), ("ファン", "Fang"), ("ミン", "Minh"),
    ("ラース", "Lars"), ("インゲ", "Inge"), ("ピオトル", "Piotr"), ("アナ", "Ana"),
    ("ラウラ", "Laura"), ("アルジュン", "Arjun"), ("プリヤ", "Priya"),
)  # fmt: skip

CITY_TITLES = (
    ("さいたま市副市長", "Deputy Mayor of Saitama City"),
    ("都市戦略本部長", "Director General, Urban Strategy Bureau"),
    ("環境局長", "Director General, Environment Bureau"),
    ("経済局長", "Director General, Economic Bureau"),
    ("未来都市推進部長", "Director, Future City Promotion Department"),
    ("未来都市推進部 副参事", "Deputy Director, Future City Promotion Department"),
    ("国際交流課長", "Director, International Relations Division"),
    ("環境創造政策課長", "Director, Environmental Policy Division"),
    ("国際交流課 主査", "Senior Staff, International Relations Division"),
    ("市議会議長", "Chair of the City Council"),
    ("市議会議員", "Member of the City Council"),
)
MAYOR_TITLE = ("さいたま市長", "Mayor of Saitama City")
PARTNER_TITLES = {
    K.LOCAL_GOVERNMENT: (("市長", "Mayor"), ("副市長", "Deputy Mayor"),
                         ("国際部長", "Director of International Affairs"),
                         ("環境部長", "Director of Environment")),
    K.NATIONAL_GOVERNMENT: (("大臣", "Minister"), ("局長", "Director General"),
                            ("課長", "Director"), ("参事官", "Counsellor")),
    K.INTERNATIONAL_NETWORK: (("事務局長", "Secretary General"),
                              ("事務局次長", "Deputy Secretary General"),
                              ("理事長", "Chair"), ("プログラムオフィサー", "Programme Officer")),
    K.EMBASSY: (("大使", "Ambassador"), ("公使", "Minister"),
                ("一等書記官", "First Secretary"), ("参事官", "Counsellor")),
    K.BUSINESS: (("代表取締役", "Chief Executive Officer"),
                 ("常任理事", "Executive Board Member"), ("部長", "General Manager")),
    K.ACADEMIC: (("教授", "Professor"), ("学長", "President"), ("研究員", "Researcher")),
    K.NGO: (("代表", "Representative"), ("理事", "Board Member")),
    K.OTHER: (("所長", "Director General"), ("代表", "Representative"),
              ("専門家", "Expert")),
}  # fmt: skip

TOPICS = (
    ("環境政策", "environmental policy"),
    ("脱炭素", "decarbonization"),
    ("気候変動対策", "climate action"),
    ("再生可能エネルギー", "renewable energy"),
    ("電気自動車の普及", "electric vehicle uptake"),
    ("スマートシティ", "smart cities"),
    ("防災", "disaster risk reduction"),
    ("水環境の保全", "water conservation"),
    ("廃棄物の削減", "waste reduction"),
    ("都市交通", "urban transport"),
    ("観光交流", "tourism exchange"),
    ("文化交流", "cultural exchange"),
    ("青少年交流", "youth exchange"),
    ("経済交流", "economic exchange"),
    ("生物多様性", "biodiversity"),
    ("SDGs", "the SDGs"),
    ("省エネルギー", "energy efficiency"),
    ("水素エネルギー", "hydrogen energy"),
    ("環境教育", "environmental education"),
    ("健康づくり", "public health"),
)

# Titles and summaries by kind of activity. {org}, {city}, {topic}, {year} are
# filled in; English uses the same keys with an _en suffix.
TITLES = {
    Activity.Kind.VISIT_ABROAD: ("{city}訪問（{topic}）", "Visit to {city_en} ({topic_en})"),
    Activity.Kind.COURTESY_CALL: ("{org}による表敬訪問", "Courtesy call from {org_en}"),
    Activity.Kind.MEETING: ("{org}との{topic}に関する会議", "Meeting with {org_en} on {topic_en}"),
    Activity.Kind.CONFERENCE: (
        "{org}国際会議{year}への参加",
        "{org_en} International Conference {year}",
    ),
    Activity.Kind.AGREEMENT: (
        "{org}との{topic}に関する覚書の締結",
        "Memorandum of understanding with {org_en} on {topic_en}",
    ),
    Activity.Kind.MEMBERSHIP: ("{org}への加盟", "Joining {org_en}"),
    Activity.Kind.REQUEST: ("{org}への{topic}に関する要望", "Request to {org_en} on {topic_en}"),
    Activity.Kind.OTHER: (
        "{topic}に関する国際セミナーの開催",
        "International seminar on {topic_en}",
    ),
}
SUMMARIES = {
    Activity.Kind.VISIT_ABROAD: (
        "市長が{city}を訪問し、{topic}の先進的な取組を視察するとともに、{org}と意見交換を行いました。",
        "The Mayor visited {city_en}, toured leading work on {topic_en} and exchanged views "
        "with {org_en}.",
    ),
    Activity.Kind.COURTESY_CALL: (
        "{org}の代表団が市長を表敬訪問し、{topic}の分野での協力について懇談しました。",
        "A delegation from {org_en} paid a courtesy call on the Mayor and talked about "
        "cooperation on {topic_en}.",
    ),
    Activity.Kind.MEETING: (
        "{org}と{topic}について協議し、今後の連携を確認しました。",
        "The city discussed {topic_en} with {org_en} and confirmed future cooperation.",
    ),
    Activity.Kind.CONFERENCE: (
        "{org}が{city}で開催した国際会議に参加し、{topic}に関するさいたま市の取組を発表しました。",
        "The city took part in the international conference held by {org_en} in {city_en} "
        "and presented its work on {topic_en}.",
    ),
    Activity.Kind.AGREEMENT: (
        "{org}と{topic}の分野で協力する覚書を締結しました。",
        "The city signed a memorandum of understanding with {org_en} on cooperation in {topic_en}.",
    ),
    Activity.Kind.MEMBERSHIP: (
        "{org}に加盟し、{topic}に取り組む世界の自治体との連携を始めました。",
        "The city joined {org_en} and began working with local governments worldwide on "
        "{topic_en}.",
    ),
    Activity.Kind.REQUEST: (
        "{org}に対し、{topic}の推進に向けた支援を要望しました。",
        "The city asked {org_en} for support in advancing {topic_en}.",
    ),
    Activity.Kind.OTHER: (
        "{topic}をテーマに国際セミナーを開催し、{org}から講師を招きました。",
        "The city held an international seminar on {topic_en} with speakers from {org_en}.",
    ),
}
SENTENCES = (
    (
        "{org}を訪問し、{topic}に関するさいたま市の取組を紹介しました。",
        "The city visited {org_en} and presented Saitama City's work on {topic_en}.",
    ),
    (
        "市長は、環境と経済が両立するまちづくりについて講演しました。",
        "The Mayor gave a talk on building a city where the environment and the economy "
        "go hand in hand.",
    ),
    (
        "会議では、{topic}の分野で自治体が果たす役割について意見交換を行いました。",
        "At the meeting, participants exchanged views on the role of local governments in "
        "{topic_en}.",
    ),
    (
        "ICLEI（イクレイ）の会員都市として、他の自治体と経験を共有しました。",
        "As a member of ICLEI, the city shared its experience with other local governments.",
    ),
    (
        "E-KIZUNA Projectの成果と今後の展開を報告しました。",
        "The city reported on the results and next steps of the E-KIZUNA Project.",
    ),
    (
        "{city}における{topic}の先進的な事例を視察しました。",
        "The delegation toured leading examples of {topic_en} in {city_en}.",
    ),
    (
        "今後も{org}との連携を深めていくことを確認しました。",
        "Both sides agreed to deepen their cooperation.",
    ),
    (
        "{year}年度の共同事業の進め方について協議しました。",
        "The two sides discussed how to carry out joint projects in fiscal {year}.",
    ),
    (
        "次世代自動車・スマートエネルギー特区の取組を説明しました。",
        "The city explained its Next-Generation Automotive and Smart Energy Special Zone.",
    ),
    (
        "参加者からは、環境負荷の少ない交通や住まいについて多くの質問が寄せられました。",
        "Participants asked many questions about low-impact transport and housing.",
    ),
    (
        "市内の企業や大学とともに、{topic}の技術を紹介する展示を行いました。",
        "With companies and universities from the city, an exhibition presented "
        "{topic_en} technologies.",
    ),
    (
        "会議の成果は、市のホームページで公開しています。",
        "The results of the meeting are published on the city's website.",
    ),
    (
        "{org}の代表団が市役所を訪れ、市長と懇談しました。",
        "A delegation from {org_en} visited City Hall and talked with the Mayor.",
    ),
    (
        "国際会議の分科会で、さいたま市の事例を発表しました。",
        "The city presented its case in a session of the international conference.",
    ),
)
LINK_LABELS = (
    ("{org}ホームページ", "{org_en} website"),
    ("会議の資料（PDF）", "Conference materials (PDF, in Japanese)"),
    ("さいたま市の報道発表", "Saitama City press release (in Japanese)"),
)
CAPTIONS = (
    ("会議の様子", "The meeting"),
    ("市長の講演", "The Mayor's speech"),
    ("記念撮影", "Group photo"),
    ("視察の様子", "The site visit"),
    ("覚書の署名式", "Signing the memorandum"),
    ("意見交換の様子", "Exchanging views"),
)
ALT_TEXTS = (
    ("会議室で机を囲んで話し合う参加者", "Participants talking around a meeting table"),
    ("演台で話す市長と聴衆", "The Mayor speaking at a lectern to an audience"),
    ("横断幕の前に並んで立つ参加者", "Participants standing in a row before a banner"),
    ("施設の設備について説明を受ける一行", "The delegation hearing about the site's equipment"),
)
PHOTO_COLOUR = "#5b7083"
PHOTO_CREDIT = ("さいたま市（仮画像）", "Saitama City (placeholder image)")

KIND_WEIGHTS = (
    (Activity.Kind.MEETING, 30),
    (Activity.Kind.COURTESY_CALL, 20),
    (Activity.Kind.VISIT_ABROAD, 15),
    (Activity.Kind.CONFERENCE, 15),
    (Activity.Kind.AGREEMENT, 6),
    (Activity.Kind.MEMBERSHIP, 2),
    (Activity.Kind.REQUEST, 5),
    (Activity.Kind.OTHER, 7),
)
# Where activities of each kind happen: at home (the city, Japan) or abroad.
HELD_AT_HOME = {
    Activity.Kind.COURTESY_CALL: 1.0,
    Activity.Kind.REQUEST: 1.0,
    Activity.Kind.MEMBERSHIP: 1.0,
    Activity.Kind.MEETING: 0.6,
    Activity.Kind.OTHER: 0.8,
    Activity.Kind.AGREEMENT: 0.5,
    Activity.Kind.CONFERENCE: 0.3,
    Activity.Kind.VISIT_ABROAD: 0.0,
}


class Related(list):
    """Stands in for a prefetched relation (``activity.partners.all()``)."""

    def all(self) -> Related:
        return self


class Picker:
    """Weighted random choice of several distinct items, fast for many draws."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def one(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]

    def some(self, rng: random.Random, count: int) -> list[Any]:
        count = min(count, len(self.items))
        chosen: list[Any] = []
        for _ in range(count * 10):
            item = self.one(rng)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == count:
                    break
        return chosen


@dataclass
class Org:
    pk: int
    slug: str
    name: str
    name_en: str
    kind: str
    country: str
    short: str = ""
    short_en: str = ""
    city: str = ""
    city_en: str = ""
    parent: str | None = None
    weight: float = 1.0
    people: list[int] = field(default_factory=list)


@dataclass
class Plan:
    """What was written, for the manifest and the benchmark's URLs."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rare_terms: list[dict[str, str]] = field(default_factory=list)
    common_count: int = 0
    showcase_slug: str = ""
    filter_counts: dict[int, int] = field(default_factory=dict)


def slugify_ascii(text: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)


class Seeder:
    def __init__(self, *, n: int, seed: int, using: str, log: Any) -> None:
        self.n = n
        self.seed = seed
        self.using = using
        self.log = log
        self.rng = random.Random(seed)
        self.plan = Plan()
        self.batch = 2000
        self.special_ids: set[int] = set()

    def bulk(self, model: type[models.Model], objs: list[models.Model]) -> None:
        if objs:
            model._default_manager.using(self.using).bulk_create(objs, batch_size=self.batch)
            key = model._meta.label
            self.plan.counts[key] = self.plan.counts.get(key, 0) + len(objs)

    # -- the cast -------------------------------------------------------------

    def departments(self) -> list[int]:
        objs = [
            Department(
                pk=i,
                name_ja=name,
                name_en=name_en,
                phone=f"048-829-{1100 + i * 7:04d}",
                fax=f"048-829-{1900 + i * 7:04d}",
                email=f"section-{i}@city.saitama.example.jp",
                inquiry_url="https://www.city.saitama.lg.jp/",
            )
            for i, (name, name_en) in enumerate(DEPARTMENTS, start=1)
        ]
        self.bulk(Department, objs)
        return [obj.pk for obj in objs]

    def themes(self) -> tuple[dict[str, int], Picker]:
        objs = [
            Theme(
                pk=i,
                slug=slug,
                name_ja=name,
                name_en=name_en,
                description_ja=f"{name}に関する取組です。",
                description_en=f"Work on {name_en.lower()}.",
            )
            for i, (slug, name, name_en, _) in enumerate(THEMES, start=1)
        ]
        self.bulk(Theme, objs)
        self.theme_rows = {obj.pk: obj for obj in objs}
        ids = {obj.slug: obj.pk for obj in objs}
        return ids, Picker([obj.pk for obj in objs], [theme[3] for theme in THEMES])

    def organizations(self) -> list[Org]:
        rng = self.rng
        orgs: list[Org] = []
        for (
            slug,
            name,
            name_en,
            short,
            short_en,
            kind,
            country,
            parent,
            weight,
        ) in NAMED_ORGANIZATIONS:
            orgs.append(
                Org(
                    0,
                    slug,
                    name,
                    name_en,
                    kind,
                    country,
                    short,
                    short_en,
                    parent=parent,
                    weight=weight,
                )
            )
        fill: list[list[Org]] = [[], [], [], [], []]
        for city, city_en, country in CITIES:
            slug = slugify_ascii(city_en)
            if city_en != "Saitama":
                fill[0].append(
                    Org(
                        0,
                        slug,
                        f"{city}市",
                        f"City of {city_en}",
                        K.LOCAL_GOVERNMENT,
                        country,
                        city=city,
                        city_en=city_en,
                        weight=1.5,
                    )
                )
            fill[2].append(
                Org(
                    0,
                    f"{slug}-chamber",
                    f"{city}商工会議所",
                    f"{city_en} Chamber of Commerce",
                    K.BUSINESS,
                    country,
                    city=city,
                    city_en=city_en,
                    weight=0.4,
                )
            )
            fill[3].append(
                Org(
                    0,
                    f"university-of-{slug}",
                    f"{city}大学",
                    f"University of {city_en}",
                    K.ACADEMIC,
                    country,
                    city=city,
                    city_en=city_en,
                    weight=0.4,
                )
            )
        for code, (country, country_en) in COUNTRIES.items():
            if code != "JP":
                fill[1].append(
                    Org(
                        0,
                        f"embassy-{code.lower()}",
                        f"駐日{country}大使館",
                        f"Embassy of {country_en.removeprefix('the ').capitalize()} in Japan",
                        K.EMBASSY,
                        code,
                        weight=0.8,
                    )
                )
        for (word, word_en), (kind, kind_en) in itertools.product(COMPANY_WORDS, COMPANY_KINDS):
            fill[2].append(
                Org(
                    0,
                    slugify_ascii(f"{word_en} {kind_en}"),
                    f"{word}{kind}",
                    f"{word_en} {kind_en}",
                    K.BUSINESS,
                    "JP",
                    weight=0.6,
                )
            )
        for (first, first_en), (second, second_en) in itertools.product(NGO_FIRST, NGO_SECOND):
            fill[4].append(
                Org(
                    0,
                    slugify_ascii(f"{first_en} {second_en}"),
                    f"{first}{second}",
                    f"{first_en} {second_en}",
                    K.NGO,
                    "JP",
                    weight=0.5,
                )
            )
        for group in fill:
            rng.shuffle(group)
        # Take from each group in turn until there are enough.
        for org in itertools.chain.from_iterable(itertools.zip_longest(*fill)):
            if len(orgs) >= ORGANIZATION_COUNT:
                break
            if org is not None:
                orgs.append(org)
        by_slug: dict[str, int] = {}
        objs = []
        for pk, org in enumerate(orgs, start=1):
            org.pk = pk
            by_slug[org.slug] = pk
            objs.append(
                Organization(
                    pk=pk,
                    slug=org.slug,
                    name_ja=org.name,
                    name_en=org.name_en,
                    short_name_ja=org.short,
                    short_name_en=org.short_en,
                    kind=org.kind,
                    parent_id=by_slug[org.parent] if org.parent else None,
                    country=org.country,
                    website=f"https://{org.slug}.example.org/",
                    description_ja=f"{org.name}は、さいたま市の国際的な取組のパートナーです。",
                    description_en=f"{org.name_en} is a partner in Saitama City's "
                    "international work.",
                )
            )
        self.bulk(Organization, objs)
        self.organization_rows = {obj.pk: obj for obj in objs}
        return orgs

    def venues(self) -> tuple[list[int], list[int], dict[int, tuple[str, str]]]:
        """Venues at home (Japan) and abroad, and each venue's city names."""
        rng = self.rng
        per_city = [VENUE_COUNT // len(CITIES)] * len(CITIES)
        for i in range(VENUE_COUNT - sum(per_city)):
            per_city[i] += 1
        objs, home, abroad, cities = [], [], [], {}
        pk = 0
        for (city, city_en, country), count in zip(CITIES, per_city, strict=True):
            for suffix, pattern in rng.sample(VENUE_KINDS, min(count, len(VENUE_KINDS))):
                pk += 1
                has_place = rng.random() < 0.6
                objs.append(
                    Venue(
                        pk=pk,
                        name_ja=f"{city}{suffix}",
                        name_en=pattern.format(city_en),
                        city_ja=city,
                        city_en=city_en,
                        country=country,
                        address_ja="",
                        address_en="",
                        latitude=round(rng.uniform(-60, 70), 6) if has_place else None,
                        longitude=round(rng.uniform(-170, 170), 6) if has_place else None,
                    )
                )
                (home if country == "JP" else abroad).append(pk)
                cities[pk] = (city, city_en)
        self.bulk(Venue, objs)
        self.venue_rows = {obj.pk: obj for obj in objs}
        return home, abroad, cities

    def people(self, orgs: list[Org]) -> tuple[list[int], dict[int, tuple[str, str]]]:
        """The city's own staff (mayors first) and partners' people; their titles."""
        rng = self.rng
        japanese = [
            (f"{family}{given}", f"{given_en} {family_en}")
            for (family, family_en), (given, given_en) in itertools.product(
                JAPANESE_FAMILY, JAPANESE_GIVEN
            )
        ]
        foreign = [
            (f"{given}・{family}", f"{given_en} {family_en}")
            for (family, family_en), (given, given_en) in itertools.product(
                FOREIGN_FAMILY, FOREIGN_GIVEN
            )
        ]
        rng.shuffle(japanese)
        rng.shuffle(foreign)
        names_jp, names_foreign = iter(japanese), iter(foreign)
        objs: list[Participant] = []
        titles: dict[int, tuple[str, str]] = {}

        def add(name: tuple[str, str], title: tuple[str, str], org: Org | None) -> int:
            pk = len(objs) + 1
            objs.append(
                Participant(
                    pk=pk,
                    name_ja=name[0],
                    name_en=name[1],
                    title_ja=title[0],
                    title_en=title[1],
                    organization_id=org.pk if org else None,
                )
            )
            titles[pk] = title
            return pk

        staff = [add(next(names_jp), MAYOR_TITLE, None) for _ in range(4)]
        while len(staff) < CITY_STAFF_COUNT:
            staff.append(add(next(names_jp), rng.choice(CITY_TITLES), None))
        # Every partner has a few people; the frequent partners have more.
        partner_people = PEOPLE_COUNT - CITY_STAFF_COUNT
        picker = Picker(orgs, [org.weight for org in orgs])
        assigned = [org for org in orgs for _ in range(3)]
        assigned += [picker.one(rng) for _ in range(max(0, partner_people - len(assigned)))]
        for org in assigned[:partner_people]:
            title, title_en = rng.choice(PARTNER_TITLES[org.kind])
            name = next(names_jp) if org.country == "JP" else next(names_foreign)
            org.people.append(add(name, (f"{org.name} {title}", f"{title_en}, {org.name_en}"), org))
        self.bulk(Participant, objs)
        self.participant_rows = {obj.pk: obj for obj in objs}
        return staff, titles

    # -- photo files ------------------------------------------------------------

    def photo_file(self) -> dict[str, Any]:
        """One placeholder photo through the project's own processing (checks,
        clean copy, renditions); every photo row points at its files."""
        content = placeholder_jpeg(
            label="CityTies benchmark", number=1, total=1, colour=PHOTO_COLOUR
        )
        photo = Photo()
        photo.image.save("bench.jpg", ContentFile(content, name="bench.jpg"), save=False)
        return {
            "image": photo.image.name,
            "width": photo.width,
            "height": photo.height,
            "renditions": photo.renditions,
        }

    # -- activities -------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        started = time.monotonic()
        rng = self.rng
        departments = self.departments()
        theme_ids, themes = self.themes()
        orgs = self.organizations()
        home_venues, abroad_venues, venue_cities = self.venues()
        staff, titles = self.people(orgs)
        photo_file = self.photo_file()
        self.log(
            f"  cast: {len(orgs)} organizations, {len(titles)} people ({self._since(started)})"
        )

        org_by_pk = {org.pk: org for org in orgs}
        partners = Picker([org.pk for org in orgs], [org.weight for org in orgs])
        kinds = Picker([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])
        saitama_venues = [pk for pk in home_venues if venue_cities[pk][1] == "Saitama"]
        home = Picker(
            home_venues, [8 if pk in saitama_venues else 1 for pk in home_venues]
        )  # the city's own venues above all
        abroad = Picker(abroad_venues, [1] * len(abroad_venues))
        mayors = staff[:4]
        other_staff = staff[4:]
        filter_family = self._family(orgs, FILTER_PARTNER)
        filter_theme = theme_ids[FILTER_THEME]

        # Dates first, sorted: an archive is entered roughly in date order, so the
        # primary keys follow the dates as they would in a real database.
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        by_year = Picker(years, [1 + (year - FIRST_YEAR) * 0.15 for year in years])
        drafts = self.n // DRAFT_SHARE
        dates = sorted(self._random_date(by_year.one(rng)) for _ in range(self.n))
        dates += [self._random_date(rng.choice(years[-3:])) for _ in range(drafts)]
        showcase = self.n // 2
        rare_at = {
            min(self.n - 1, max(0, int(self.n * share))): term
            for share, term in zip((0.13, 0.37, 0.71), RARE_TERMS, strict=True)
        }
        rare_at.pop(showcase, None)
        slugs_taken: dict[str, int] = {}
        ids = itertools.count(1)
        link_ids, photo_ids, photo_people_ids = (itertools.count(1) for _ in range(3))
        through_ids = {
            model: itertools.count(1)
            for model in (ActivityPartner, ActivityTheme, ActivityVenue, Attendance)
        }
        total = len(dates)
        for start in range(0, total, CHUNK):
            rows: dict[type[models.Model], list[models.Model]] = {
                model: []
                for model in (
                    Activity,
                    ActivityPartner,
                    ActivityTheme,
                    ActivityVenue,
                    Attendance,
                    ActivityLink,
                    Photo,
                    Photo.people.through,
                )
            }
            for index in range(start, min(start + CHUNK, total)):
                pk = next(ids)
                day = dates[index]
                published = index < self.n
                is_showcase = index == showcase
                kind = kinds.one(rng)
                partner_ids = partners.some(rng, 3 if is_showcase else rng.choice((1, 1, 2, 2, 3)))
                theme_pks = themes.some(rng, 2 if is_showcase else rng.choice((1, 1, 2)))
                at_home = rng.random() < HELD_AT_HOME[kind]
                venue_pool = home if at_home else abroad
                venue_ids = venue_pool.some(rng, 2 if is_showcase else rng.choice((1, 1, 1, 2)))
                main_org = org_by_pk[partner_ids[0]]
                city, city_en = venue_cities[venue_ids[0]]
                if at_home and main_org.city:
                    city, city_en = main_org.city, main_org.city_en
                topic, topic_en = rng.choice(TOPICS)
                values = {
                    "org": main_org.name,
                    "org_en": main_org.name_en,
                    "city": city,
                    "city_en": city_en,
                    "topic": topic,
                    "topic_en": topic_en,
                    "year": day.year,
                }
                title, title_en = (t.format(**values) for t in TITLES[kind])
                summary, summary_en = (t.format(**values) for t in SUMMARIES[kind])
                body, body_en = self._body(values)
                rare = rare_at.get(index) if published else None
                if rare:
                    lang, term = rare
                    if lang == "ja":
                        title = f"{term}に関する{title}"
                        body = f"{body}\n\n{term}について、関係者と意見を交わしました。"
                    else:
                        title_en = f"{title_en}: the {term} talks"
                        body_en = f"{body_en}\n\nThe {term} talks were part of the programme."
                english = is_showcase or rare is not None or rng.random() < 0.85
                if not english:
                    title_en = summary_en = body_en = ""
                slug = day.isoformat()
                count = slugs_taken.get(slug, 0) + 1
                slugs_taken[slug] = count
                if count > 1:
                    slug = f"{slug}-{count}"
                if published and COMMON_TERM[1] in f"{title}{summary}{body}":
                    self.plan.common_count += 1
                if rare:
                    self.plan.rare_terms.append({"term": rare[1], "lang": rare[0], "slug": slug})
                if is_showcase:
                    self.plan.showcase_slug = slug
                if is_showcase or rare:
                    self.special_ids.add(pk)
                if published and filter_theme in theme_pks and filter_family & set(partner_ids):
                    self.plan.filter_counts[day.year] = self.plan.filter_counts.get(day.year, 0) + 1
                multi_day = rng.random() < 0.3
                activity = Activity(
                    pk=pk,
                    slug=slug,
                    kind=kind,
                    start_date=day,
                    end_date=day + datetime.timedelta(days=rng.randint(1, 4))
                    if multi_day
                    else None,
                    title_ja=title,
                    title_en=title_en,
                    summary_ja=summary,
                    summary_en=summary_en,
                    body_ja=body,
                    body_en=body_en,
                    department_id=rng.choice(departments),
                    status=Activity.Status.PUBLISHED if published else Activity.Status.DRAFT,
                    published_at=datetime.datetime.combine(
                        day + datetime.timedelta(days=rng.randint(3, 30)),
                        datetime.time(9),
                        tzinfo=TOKYO,
                    )
                    if published
                    else None,
                )
                rows[Activity].append(activity)
                for org_pk in partner_ids:
                    rows[ActivityPartner].append(
                        ActivityPartner(
                            pk=next(through_ids[ActivityPartner]),
                            activity_id=pk,
                            organization_id=org_pk,
                        )
                    )
                for theme_pk in theme_pks:
                    rows[ActivityTheme].append(
                        ActivityTheme(
                            pk=next(through_ids[ActivityTheme]), activity_id=pk, theme_id=theme_pk
                        )
                    )
                for venue_pk in venue_ids:
                    rows[ActivityVenue].append(
                        ActivityVenue(
                            pk=next(through_ids[ActivityVenue]), activity_id=pk, venue_id=venue_pk
                        )
                    )
                attending = self._attendees(
                    rng, day, partner_ids, org_by_pk, mayors, other_staff, is_showcase
                )
                attendances = [
                    Attendance(
                        pk=next(through_ids[Attendance]),
                        activity_id=pk,
                        participant_id=person,
                        title_ja=titles[person][0],
                        title_en=titles[person][1] if english else "",
                        role=role,
                        order=order,
                    )
                    for order, (person, role) in enumerate(attending, start=1)
                ]
                rows[Attendance] += attendances
                self._write_document(activity, partner_ids, theme_pks, venue_ids, attendances)
                for order in range(1, (2 if is_showcase else rng.choice((1, 1, 2))) + 1):
                    label, label_en = LINK_LABELS[(order - 1) % len(LINK_LABELS)]
                    org = org_by_pk[partner_ids[(order - 1) % len(partner_ids)]]
                    rows[ActivityLink].append(
                        ActivityLink(
                            pk=next(link_ids),
                            activity_id=pk,
                            label_ja=label.format(org=org.name),
                            label_en=label_en.format(org_en=org.name_en) if english else "",
                            url=f"https://{org.slug}.example.org/news/{slug}",
                            order=order,
                        )
                    )
                if is_showcase:
                    photo_count = 12
                else:
                    photo_count = rng.choice((0, 0, 0, 1, 1, 2, 3)) if rng.random() < 0.6 else 0
                for order in range(1, photo_count + 1):
                    photo_pk = next(photo_ids)
                    caption = rng.choice(CAPTIONS)
                    alt = rng.choice(ALT_TEXTS)
                    rows[Photo].append(
                        Photo(
                            pk=photo_pk,
                            activity_id=pk,
                            image=photo_file["image"],
                            width=photo_file["width"],
                            height=photo_file["height"],
                            renditions=photo_file["renditions"],
                            caption_ja=caption[0],
                            caption_en=caption[1] if english else "",
                            alt_text_ja=alt[0],
                            alt_text_en=alt[1] if english else "",
                            credit_ja=PHOTO_CREDIT[0],
                            credit_en=PHOTO_CREDIT[1] if english else "",
                            order=order,
                        )
                    )
                    pictured = (
                        rng.sample(attending, min(len(attending), rng.randint(1, 3)))
                        if is_showcase or rng.random() < 0.4
                        else []
                    )
                    for person, _role in pictured:
                        rows[Photo.people.through].append(
                            Photo.people.through(
                                pk=next(photo_people_ids),
                                photo_id=photo_pk,
                                participant_id=person,
                            )
                        )
            for model, objs in rows.items():
                self.bulk(model, objs)
            done = min(start + CHUNK, total)
            if done == total or done % (CHUNK * 4) == 0:
                self.log(f"  {done:,} of {total:,} activities ({self._since(started)})")
        self._reset_sequences()
        self.plan.seconds = round(time.monotonic() - started, 1)
        return self.manifest()

    def sample(self, size: int = 50) -> list[int]:
        """Some activity ids to check: the showcase, the rare terms' and random ones."""
        rng = random.Random(self.seed)
        total = self.n + self.n // DRAFT_SHARE
        return sorted(set(rng.sample(range(1, total + 1), min(size, total))) | self.special_ids)

    def _write_document(
        self,
        activity: Activity,
        partner_ids: list[int],
        theme_ids: list[int],
        venue_ids: list[int],
        attendances: list[Attendance],
    ) -> None:
        """The activity's search document, made by the project's own function from
        the rows in hand, as if their relations had been prefetched."""
        prefetched = SimpleNamespace(
            **{f"{name}_{lang}": getattr(activity, f"{name}_{lang}") for name, lang in
               itertools.product(("title", "summary", "body"), ("ja", "en"))},
            partners=Related(self.organization_rows[pk] for pk in partner_ids),
            themes=Related(self.theme_rows[pk] for pk in theme_ids),
            venues=Related(self.venue_rows[pk] for pk in venue_ids),
            participants=Related(self.participant_rows[a.participant_id] for a in attendances),
            attendances=Related(attendances),
        )  # fmt: skip
        activity.search_document = search.document_of(prefetched)

    def _attendees(
        self,
        rng: random.Random,
        day: datetime.date,
        partner_ids: list[int],
        org_by_pk: dict[int, Org],
        mayors: list[int],
        other_staff: list[int],
        is_showcase: bool,
    ) -> list[tuple[int, str]]:
        """2 to 6 people (exactly 8 for the showcase): the city's, then the partners'."""
        total = 8 if is_showcase else rng.randint(2, 6)
        ours = 4 if is_showcase else rng.randint(1, max(1, total // 2))
        people: list[tuple[int, str]] = []
        chosen: set[int] = set()
        if is_showcase or rng.random() < 0.4:
            # The mayor of the day: one per era.
            era = min(3, max(0, (day.year - FIRST_YEAR) * 4 // (LAST_YEAR - FIRST_YEAR + 1)))
            people.append((mayors[era], Attendance.Role.DELEGATION))
            chosen.add(mayors[era])
        while len(people) < ours:
            person = rng.choice(other_staff)
            if person not in chosen:
                chosen.add(person)
                people.append((person, Attendance.Role.DELEGATION))
        candidates = [p for org_pk in partner_ids for p in org_by_pk[org_pk].people]
        rng.shuffle(candidates)
        for person in candidates:
            if len(people) >= total:
                break
            if person not in chosen:
                chosen.add(person)
                role = rng.choice(
                    (Attendance.Role.COUNTERPART,) * 4
                    + (Attendance.Role.SPEAKER, Attendance.Role.VISITOR)
                )
                people.append((person, role))
        while len(people) < total:
            person = rng.choice(other_staff)
            if person not in chosen:
                chosen.add(person)
                people.append((person, Attendance.Role.DELEGATION))
        return people

    def _body(self, values: dict[str, Any]) -> tuple[str, str]:
        rng = self.rng
        paragraphs, paragraphs_en = [], []
        for _ in range(rng.randint(2, 4)):
            picked = rng.sample(SENTENCES, rng.randint(2, 4))
            paragraphs.append("".join(ja.format(**values) for ja, _ in picked))
            paragraphs_en.append(" ".join(en.format(**values) for _, en in picked))
        return "\n\n".join(paragraphs), "\n\n".join(paragraphs_en)

    def _random_date(self, year: int) -> datetime.date:
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    @staticmethod
    def _family(orgs: list[Org], slug: str) -> set[int]:
        """An organization and everything under it, as the archive's partner filter has it."""
        children: dict[str, list[Org]] = {}
        for org in orgs:
            if org.parent:
                children.setdefault(org.parent, []).append(org)
        found, stack = set(), [slug]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(child.slug for child in children.get(current, []))
        return {org.pk for org in orgs if org.slug in found}

    def _reset_sequences(self) -> None:
        """Rows were written with their primary keys: move the sequences past them."""
        connection = connections[self.using]
        tables = [
            Department,
            Theme,
            Organization,
            Venue,
            Participant,
            Activity,
            ActivityPartner,
            ActivityTheme,
            ActivityVenue,
            Attendance,
            ActivityLink,
            Photo,
            Photo.people.through,
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), tables)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    @staticmethod
    def _since(started: float) -> str:
        return f"{time.monotonic() - started:.1f} s"

    def manifest(self) -> dict[str, Any]:
        counts = self.plan.filter_counts
        # The year whose year + partner + theme filter matches the most rows:
        # a result of a page or more, as a visitor's filter would have.
        year = max(counts, key=lambda y: (counts[y], y)) if counts else LAST_YEAR
        return {
            "version": SEED_VERSION,
            "n": self.n,
            "seed": self.seed,
            "drafts": self.n // DRAFT_SHARE,
            "rows": self.plan.counts,
            "seconds": self.plan.seconds,
            "showcase": {"slug": self.plan.showcase_slug, "photos": 12, "participants": 8},
            "rare_terms": self.plan.rare_terms,
            "common_term": {
                "term": COMMON_TERM[1],
                "lang": COMMON_TERM[0],
                "activities": self.plan.common_count,
            },
            "filter": {
                "year": year,
                "partner": FILTER_PARTNER,
                "theme": FILTER_THEME,
                "activities": counts.get(year, 0),
            },
        }


# -- the marker: what this database was seeded with -------------------------------


def read_marker(using: str) -> dict[str, Any] | None:
    connection = connections[using]
    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE name = %s", ["manifest"])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(using: str, manifest: dict[str, Any]) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
            "(name varchar(50) PRIMARY KEY, value text NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE name = %s", ["manifest"])
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (name, value) VALUES (%s, %s)",
            ["manifest", json.dumps(manifest, ensure_ascii=False)],
        )


def log(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


class SeedError(Exception):
    """The database is not what the benchmark needs; nothing was written."""


def finish_search_index(using: str, sample: list[int], log: Any) -> str:
    """After documents were written at insert: the organization tree, which
    ``rebuild_search_index`` would also rebuild, then a check that a sample of
    documents is what the project makes of the saved rows."""
    started = time.monotonic()
    OrganizationAncestor.rebuild(using=using)
    saved = (
        Activity.objects.using(using)
        .filter(pk__in=sample)
        .prefetch_related("partners", "venues", "participants", "attendances")
    )
    for activity in saved:
        # The same text; the order of partners, venues and people may differ.
        if sorted(search.document_of(activity).split()) != sorted(activity.search_document.split()):
            raise SeedError(
                f"The search document written for activity {activity.pk} differs from what "
                "search.document_of makes of the saved rows: Seeder._write_document must "
                "hand it what it now reads."
            )
    seconds = time.monotonic() - started
    log(f"  organization tree and {len(sample)} documents checked ({seconds:.1f} s)")
    return (
        f"documents written at insert by search.document_of ({len(sample)} checked); "
        f"organization tree built in {seconds:.1f} s"
    )


def holds_other_data(using: str) -> bool:
    return any(
        model._default_manager.using(using).exists()
        for model in (Activity, Organization, Theme, Venue, Participant, Department)
    )


def check(*, n: int, seed: int = 1, using: str = DEFAULT_DB_ALIAS) -> None:
    """Nothing when the database holds this seed; a SeedError saying what it holds
    otherwise."""
    marker = read_marker(using)
    if not (marker and (marker["version"], marker["n"], marker["seed"]) == (SEED_VERSION, n, seed)):
        raise SeedError(
            "not seeded with this N and seed"
            + (f" (holds n={marker['n']}, version {marker['version']})" if marker else "")
        )


def seed_database(
    *,
    n: int,
    seed: int = 1,
    manifest: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
    log: Any = log,
) -> dict[str, Any]:
    """Seed the database with N activities, or do nothing when it holds this seed
    already; what was seeded (written to ``manifest`` too, if given)."""
    if n < 1:
        raise SeedError("--n must be at least 1.")
    try:
        check(n=n, seed=seed, using=using)
        marker = read_marker(using)
        log(f"Already seeded: {n:,} activities (seed {seed}); nothing to do.")
    except SeedError:
        if read_marker(using) is not None or holds_other_data(using):
            raise SeedError(
                "This database already holds other data. The benchmark seeds databases "
                "of its own: drop it (bench/run.py does) or point DATABASE_URL elsewhere."
            ) from None
        log(f"Seeding {n:,} activities (seed {seed})...")
        started = time.monotonic()
        seeder = Seeder(n=n, seed=seed, using=using, log=log)
        with translation.override("ja"), transaction.atomic(using=using):
            marker = seeder.run()
            # Check every foreign key now rather than at the commit.
            connections[using].check_constraints()
            marker["search_index"] = finish_search_index(using, seeder.sample(), log)
            # bulk_create() sends no signals: every process is told here.
            archive_changed(using=using)
            marker["seeded_at"] = timezone.now().isoformat(timespec="seconds")
            marker["total_seconds"] = round(time.monotonic() - started, 1)
            write_marker(using, marker)
        log(
            f"Seeded {sum(marker['rows'].values()):,} rows in {marker['total_seconds']} s "
            f"(search index: {marker['search_index']})."
        )
    if manifest:
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(marker, ensure_ascii=False, indent=2) + "\n")
    return marker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Seed a database of its own with N synthetic published activities "
        "(and ~2%% drafts) and their partners, themes, people, venues, links and photos, "
        "for `make bench`. Does nothing when the database already holds the same seed."
    )
    parser.add_argument("--n", type=int, default=100_000, help="Published activities.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed.")
    parser.add_argument("--manifest", type=Path, help="Write what was seeded (JSON) to this file.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Only say whether the database holds this seed (exit status 0) or not (1).",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            check(n=args.n, seed=args.seed)
            log(f"Seeded: {args.n} activities (seed {args.seed}).")
        else:
            seed_database(n=args.n, seed=args.seed, manifest=args.manifest)
    except SeedError as error:
        sys.stderr.write(f"bench/seed.py: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
