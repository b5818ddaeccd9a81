"""Static facts for the demo Zhenjiang: which districts get a center, the centers and the stations.

The districts themselves, their population and the minimum wage are reference data loaded by the migrations
(``fayuan/org/migrations/0003_reference_data.py``); the demo only looks them up by code. Center and station
addresses, telephone numbers and coordinates are *illustrative*: plausible roads in the right district and points
near the district seat, not the offices' real contact details. Everything here is plain data so that the builders
stay short and a reviewer can check the figures in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The one seed of the demo: every random.Random in fayuan.demo derives from it (the plan's year plus one digit).
SEED = 20181

# Ages (elderly ≥60, minor <18) are judged on this fixed date, not on today's, so that two runs years apart
# produce the same data. The tags it sets describe the person at registration time, as a clerk would.
REFERENCE_DATE = dt.date(2026, 3, 1)

NEW_AREA_CODE = "321171"
"""镇江新区 is a functional area with no code of its own in GB/T 2260; ``321171`` is its statistical code (the
reference data stores it with ``code_is_official=False``)."""


@dataclass(frozen=True)
class DistrictSpec:
    slug: str  # ASCII key, used in demo usernames (demo_reviewer_danyang)
    code: str  # the reference row's natural key
    name: str
    lat: float  # approximate seat of government, the anchor for station coordinates
    lon: float
    address_prefix: str  # how a postal address in the district begins
    center_name: str
    doc_prefix: str
    center_address: str
    dialect: str  # Language code of the local dialect
    id_codes: tuple[str, ...]  # address codes seen on residents' ID cards
    roads: tuple[str, ...]  # urban roads for synthetic addresses
    towns: tuple[str, ...] = field(default=())  # towns and sub-districts (镇/街道)

    @property
    def place(self) -> str:
        """The district as named on local signs: 镇江市京口区, 丹阳市, 镇江新区."""
        return self.address_prefix.removeprefix("江苏省").replace("镇江市镇江新区", "镇江新区")


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        "jingkou", "321102", "京口区", 32.1960, 119.4700,
        "江苏省镇江市京口区", "镇江市京口区法律援助中心", "京法援", "镇江市京口区学府路京口区公共法律服务中心一楼",
        "zhenjiang", ("321102",),
        ("中山东路", "解放路", "学府路", "梦溪路", "正东路", "桃花坞路", "京口路", "东吴路"),
        ("谏壁街道", "象山街道", "大市口街道", "正东路街道", "健康路街道", "四牌楼街道"),
    ),
    DistrictSpec(
        "runzhou", "321111", "润州区", 32.1950, 119.4130,
        "江苏省镇江市润州区", "镇江市润州区法律援助中心", "润法援", "镇江市润州区黄山西路润州区公共法律服务中心",
        "zhenjiang", ("321111",),
        ("黄山西路", "南徐大道", "金山路", "宝塔路", "润州路", "官塘桥路", "西津渡街", "长江路"),
        ("金山街道", "蒋乔街道", "七里甸街道", "宝塔路街道", "和平路街道", "官塘桥街道"),
    ),
    DistrictSpec(
        "dantu", "321112", "丹徒区", 32.1320, 119.4340,
        "江苏省镇江市丹徒区", "镇江市丹徒区法律援助中心", "徒法援", "镇江市丹徒区谷阳大道丹徒区公共法律服务中心",
        "zhenjiang", ("321112", "321121"),  # 321121: the former 丹徒县, still on older cards
        ("谷阳大道", "丹徒新城大道", "十里长山路", "宜城大道"),
        ("高资街道", "辛丰镇", "上党镇", "宝堰镇", "世业镇", "谷阳镇", "宜城街道"),
    ),
    DistrictSpec(
        "danyang", "321181", "丹阳市", 31.9910, 119.6060,
        "江苏省丹阳市", "丹阳市法律援助中心", "丹法援", "丹阳市丹凤北路丹阳市公共法律服务中心",
        "danyang", ("321181",),
        ("新民路", "丹凤北路", "金陵西路", "云阳路", "南二环路", "东门大街"),
        ("司徒镇", "延陵镇", "吕城镇", "珥陵镇", "导墅镇", "皇塘镇", "访仙镇", "界牌镇", "云阳街道", "陵口镇"),
    ),
    DistrictSpec(
        "yangzhong", "321182", "扬中市", 32.2370, 119.7970,
        "江苏省扬中市", "扬中市法律援助中心", "扬法援", "扬中市扬子中路扬中市公共法律服务中心",
        "yangzhong", ("321182",),
        ("扬子中路", "港隆路", "前进北路", "长旺路"),
        ("新坝镇", "油坊镇", "八桥镇", "西来桥镇", "三茅街道", "兴隆街道"),
    ),
    DistrictSpec(
        "jurong", "321183", "句容市", 31.9450, 119.1680,
        "江苏省句容市", "句容市法律援助中心", "句法援", "句容市华阳北路句容市公共法律服务中心",
        "jurong", ("321183",),
        ("华阳北路", "宝塔路", "人民路", "崇明东路", "河滨路"),
        ("宝华镇", "下蜀镇", "茅山镇", "郭庄镇", "白兔镇", "后白镇", "天王镇", "边城镇", "华阳街道"),
    ),
    DistrictSpec(
        "xinqu", NEW_AREA_CODE, "镇江新区", 32.1950, 119.6600,
        "江苏省镇江市镇江新区", "镇江新区法律援助中心", "新法援", "镇江新区港南路新区公共法律服务中心",
        "zhenjiang", ("321102", "321112"),  # no code of its own: cards carry the neighbouring districts' codes
        ("港南路", "丁卯桥路", "经十二路", "金港大道"),
        ("大港街道", "姚桥镇", "大路镇", "丁岗镇", "丁卯街道"),
    ),
)

DISTRICT_BY_SLUG = {d.slug: d for d in DISTRICTS}

@dataclass(frozen=True)
class CitySpec:
    name: str = "镇江市法律援助中心"
    doc_prefix: str = "镇法援"
    address: str = "镇江市润州区南徐大道镇江市公共法律服务中心"
    lat: float = 32.1880
    lon: float = 119.4400
    seat_district: str = "runzhou"  # the address above is in 润州区


CITY_CENTER = CitySpec()

# Stations: (name, type, district slug, under the city center?, address).
# Courts and detention centers all get a duty-lawyer station (plan point 2); the builders set has_duty_lawyer.
CITY = True
DIST = False
STATIONS: tuple[tuple[str, str, str, bool, str], ...] = (
    # Courts: the intermediate court, every basic court and the development-zone court.
    ("镇江市中级人民法院法律援助工作站", "court", "runzhou", CITY, "镇江市润州区南徐大道（诉讼服务中心内）"),
    ("镇江市京口区人民法院法律援助工作站", "court", "jingkou", DIST, "镇江市京口区学府路（诉讼服务中心内）"),
    ("镇江市润州区人民法院法律援助工作站", "court", "runzhou", DIST, "镇江市润州区黄山西路（诉讼服务中心内）"),
    ("镇江市丹徒区人民法院法律援助工作站", "court", "dantu", DIST, "镇江市丹徒区谷阳大道（诉讼服务中心内）"),
    ("丹阳市人民法院法律援助工作站", "court", "danyang", DIST, "丹阳市金陵西路（诉讼服务中心内）"),
    ("扬中市人民法院法律援助工作站", "court", "yangzhong", DIST, "扬中市扬子中路（诉讼服务中心内）"),
    ("句容市人民法院法律援助工作站", "court", "jurong", DIST, "句容市华阳北路（诉讼服务中心内）"),
    ("镇江经济开发区人民法院法律援助工作站", "court", "xinqu", DIST, "镇江新区港南路（诉讼服务中心内）"),
    # Detention centers.
    ("镇江市看守所值班律师工作站", "detention_center", "dantu", CITY, "镇江市丹徒区（镇江市看守所会见区）"),
    ("镇江市第二看守所值班律师工作站", "detention_center", "jingkou", CITY, "镇江市京口区（镇江市第二看守所会见区）"),
    ("丹阳市看守所值班律师工作站", "detention_center", "danyang", DIST, "丹阳市（丹阳市看守所会见区）"),
    ("句容市看守所值班律师工作站", "detention_center", "jurong", DIST, "句容市（句容市看守所会见区）"),
    ("扬中市看守所值班律师工作站", "detention_center", "yangzhong", DIST, "扬中市（扬中市看守所会见区）"),
    # Procuratorates.
    ("镇江市人民检察院法律援助工作站", "procuratorate", "runzhou", CITY, "镇江市润州区南徐大道（检察服务中心）"),
    ("镇江市京口区人民检察院法律援助工作站", "procuratorate", "jingkou", DIST, "镇江市京口区（检察服务中心）"),
    ("镇江市润州区人民检察院法律援助工作站", "procuratorate", "runzhou", DIST, "镇江市润州区（检察服务中心）"),
    ("镇江市丹徒区人民检察院法律援助工作站", "procuratorate", "dantu", DIST, "镇江市丹徒区（检察服务中心）"),
    ("丹阳市人民检察院法律援助工作站", "procuratorate", "danyang", DIST, "丹阳市（检察服务中心）"),
    ("扬中市人民检察院法律援助工作站", "procuratorate", "yangzhong", DIST, "扬中市（检察服务中心）"),
    ("句容市人民检察院法律援助工作站", "procuratorate", "jurong", DIST, "句容市（检察服务中心）"),
    # Police.
    ("镇江市公安局京口分局法律援助工作站", "police", "jingkou", DIST, "镇江市京口区（执法办案中心）"),
    ("镇江市公安局润州分局法律援助工作站", "police", "runzhou", DIST, "镇江市润州区（执法办案中心）"),
    ("丹阳市公安局法律援助工作站", "police", "danyang", DIST, "丹阳市（执法办案中心）"),
    ("句容市公安局法律援助工作站", "police", "jurong", DIST, "句容市（执法办案中心）"),
    ("镇江市公安局新区分局法律援助工作站", "police", "xinqu", DIST, "镇江新区（执法办案中心）"),
    # Prison and the military.
    ("江苏省镇江监狱法律援助工作站", "prison", "dantu", CITY, "镇江市丹徒区（监狱会见中心）"),
    ("镇江军分区法律援助工作站", "military", "jingkou", CITY, "镇江市京口区（军分区政治工作处）"),
    # Mass organisations and government departments.
    ("镇江市总工会法律援助工作站", "union", "jingkou", CITY, "镇江市京口区（市职工服务中心）"),
    ("丹阳市总工会法律援助工作站", "union", "danyang", DIST, "丹阳市（职工服务中心）"),
    ("句容市总工会法律援助工作站", "union", "jurong", DIST, "句容市（职工服务中心）"),
    ("共青团镇江市委法律援助工作站", "youth_league", "runzhou", CITY, "镇江市润州区（青少年服务中心）"),
    ("镇江市妇女联合会法律援助工作站", "womens_federation", "runzhou", CITY, "镇江市润州区（妇女儿童活动中心）"),
    ("丹阳市妇女联合会法律援助工作站", "womens_federation", "danyang", DIST, "丹阳市（妇女儿童活动中心）"),
    ("镇江市老龄工作委员会法律援助工作站", "elderly_association", "runzhou", CITY, "镇江市润州区（老年人服务中心）"),
    ("镇江市残疾人联合会法律援助工作站", "disabled_federation", "jingkou", CITY, "镇江市京口区（残疾人服务中心）"),
    ("句容市残疾人联合会法律援助工作站", "disabled_federation", "jurong", DIST, "句容市（残疾人服务中心）"),
    ("镇江市劳动人事争议仲裁院法律援助工作站", "hr_bureau", "runzhou", CITY, "镇江市润州区（人社服务大厅）"),
    ("丹阳市人力资源和社会保障局法律援助工作站", "hr_bureau", "danyang", DIST, "丹阳市（人社服务大厅）"),
    ("江苏大学法律援助工作站", "university", "jingkou", DIST, "镇江市京口区学府路（江苏大学法学院）"),
    ("江苏科技大学法律援助工作站", "university", "jingkou", DIST, "镇江市京口区梦溪路（江苏科技大学）"),
)

# Township judicial offices (司法所), one station each, named after real towns and sub-districts.
JUDICIAL_OFFICES: tuple[tuple[str, str], ...] = (
    ("danyang", "司徒镇"), ("danyang", "延陵镇"), ("danyang", "吕城镇"),
    ("jurong", "宝华镇"), ("jurong", "下蜀镇"), ("jurong", "茅山镇"),
    ("yangzhong", "新坝镇"), ("yangzhong", "油坊镇"),
    ("dantu", "高资街道"), ("dantu", "辛丰镇"), ("dantu", "上党镇"),
    ("runzhou", "金山街道"), ("runzhou", "蒋乔街道"),
    ("jingkou", "谏壁街道"), ("jingkou", "象山街道"),
    ("xinqu", "大港街道"), ("xinqu", "姚桥镇"),
)

# Village/community contact points (联络点): one or two per district, at the town's central community.
CONTACT_POINTS: tuple[tuple[str, str], ...] = (
    ("jingkou", "正东路街道"), ("runzhou", "七里甸街道"), ("dantu", "宝堰镇"), ("danyang", "珥陵镇"),
    ("danyang", "皇塘镇"), ("yangzhong", "八桥镇"), ("jurong", "白兔镇"), ("jurong", "天王镇"),
    ("xinqu", "丁岗镇"),
)

# The station where the demo station clerk works (a judicial office in 京口, the demo's home district).
DEMO_CLERK_STATION = "镇江市京口区象山街道司法所"
DEMO_POLICE_STATION = "镇江市公安局京口分局法律援助工作站"
DEMO_COURT_STATION = "镇江市京口区人民法院法律援助工作站"  # the demo court liaison's court (organ notices)

OPENING_HOURS = {
    "court": "工作日 8:30-12:00，13:30-17:30（值班律师每日坐班）",
    "detention_center": "工作日 9:00-11:30，14:00-17:00（值班律师每周一、三、五坐班）",
    "procuratorate": "工作日 8:30-12:00，13:30-17:30",
    "judicial_office": "工作日 8:30-12:00，14:00-17:30",
    "community_point": "每周三 9:00-11:30（司法所工作人员驻点）",
}
DEFAULT_OPENING_HOURS = "工作日 8:30-12:00，14:00-17:30"

SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("criminal", "刑事辩护"), ("labour", "劳动争议"), ("marriage_family", "婚姻家庭"), ("traffic", "交通事故"),
    ("work_injury", "工伤"), ("medical", "医疗纠纷"), ("administrative", "行政诉讼"),
    ("state_compensation", "国家赔偿"), ("juvenile", "未成年人"), ("elderly", "老年人权益"),
    ("contract", "合同纠纷"), ("land", "土地纠纷"),
)

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("mandarin", "普通话"), ("zhenjiang", "镇江话"), ("danyang", "丹阳话"), ("jurong", "句容话"),
    ("yangzhong", "扬中话"), ("english", "英语"), ("sign", "手语"),
)

# Where migrant workers registered in Zhenjiang come from: (ID address code, household registration).
MIGRANT_ORIGINS: tuple[tuple[str, str], ...] = (
    ("341221", "安徽省阜阳市临泉县"), ("340881", "安徽省安庆市桐城市"), ("411523", "河南省信阳市新县"),
    ("412726", "河南省周口市郸城县"), ("510722", "四川省绵阳市三台县"), ("430524", "湖南省邵阳市隆回县"),
    ("321322", "江苏省宿迁市沭阳县"), ("520521", "贵州省毕节市大方县"),
)
