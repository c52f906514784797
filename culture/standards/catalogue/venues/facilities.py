"""Facilities that must exist: the five district venues, culture stations, community centres,
bookrooms, posts and spots, news boards, branches, arts-education bases, sports (S35)."""

from __future__ import annotations

from culture.standards.calculators.venues import facilities as calc
from culture.standards.catalogue.types import (
    COMMUNITY,
    COUNT,
    DISTRICT,
    FLAG,
    SHARE,
    SUBDISTRICT,
    Indicator,
    ReportField,
    always,
    steps,
)

BUREAU_ZH = "区文化和广电旅游体育局"
BUREAU_EN = "District Bureau of Culture, Radio, TV, Tourism and Sports"
SUBDISTRICTS_ZH = "各街道办事处"
SUBDISTRICTS_EN = "Subdistrict offices"

COVERAGE_NOTE_ZH = (
    "场馆按所在社区（由坐标确定）计入街道，而非按运营单位；只计状态为“开放”的场馆。"
    "街道一级：有即为 100%，无为 0%；区一级：达标街道数 ÷ 街道总数。"
)
COVERAGE_NOTE_EN = (
    "A venue counts for the subdistrict it stands in (its location community, from its "
    "coordinates), not its operator; only venues with status open count. Subdistrict: 100 % "
    "when it has one, 0 % when not; district: subdistricts meeting the rule / all subdistricts."
)
MAIN_TEXT_2025_ZH = (
    "正文二、（二）3 规定“2025年……实现18个街道全覆盖”，故 2025 年起评判，此前只显示进度。"
)
MAIN_TEXT_2025_EN = (
    "The main text (2.2.3) sets 2025 for this coverage, so it is judged from 2025; earlier "
    "years show progress only."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T04",
        clause="二、（二）3",
        quote_zh="2025年，共建有区级认定及以上的城市书房40家、文化驿站、文艺星火赋美演艺点实现18个街道全覆盖",
        title_zh="文化驿站、文艺星火赋美演艺点街道全覆盖",
        title_en="Culture posts and street performance spots in every subdistrict",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: steps((2025, 1.0)), SUBDISTRICT: steps((2025, 1.0))},
        owner_zh=f"{BUREAU_ZH}、{SUBDISTRICTS_ZH}",
        owner_en=f"{BUREAU_EN}; {SUBDISTRICTS_EN}",
        definition_zh="街道：辖区内（按所在社区）既有开放的文化驿站又有开放的文艺星火赋美演艺点为 100%，"
        "否则为 0%。区：两者兼有的街道数 ÷ 街道总数。",
        definition_en="Subdistrict: 100 % when an open culture post AND an open street "
        "performance spot stand in it, else 0 %. District: subdistricts with both / all "
        "subdistricts.",
        calculator=calc.posts_and_spots,
        notes_zh=f"{COVERAGE_NOTE_ZH}{MAIN_TEXT_2025_ZH}",
        notes_en=f"{COVERAGE_NOTE_EN} {MAIN_TEXT_2025_EN}",
    ),
    Indicator(
        id="T07",
        clause="二、（四）2",
        quote_zh="在中小学、老年大学、文化驿站、文艺星火赋美演艺点等设立艺术普及点等教育基地10个",
        title_zh="艺术普及教育基地不少于10个",
        title_en="At least 10 arts-education bases",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: always(10)},
        owner_zh="区文化馆、区教育局",
        owner_en="District culture centre; District Education Bureau",
        definition_zh="登记为“美育（艺术教育）基地”且状态为开放的场馆数。",
        definition_en="Open venues registered as arts-education bases (美育基地).",
        calculator=calc.arts_education_bases,
        report_fields=(ReportField("value", "艺术普及教育基地数", "Arts-education bases"),),
        notes_zh="“10个”读作不少于 10 个；条文未写年份，按政策施行起每年评判。基地设在学校、驿站等处时，"
        "须在场馆登记中单独登记为“美育基地”。",
        notes_en="'10' is read as at least 10; the clause gives no year, so it is judged every "
        "year from the policy's start. A base hosted by a school or a culture post is "
        "registered as its own arts-education-base venue.",
    ),
    Indicator(
        id="S01",
        clause="附件 1",
        quote_zh="区有“四馆一院”，即：图书馆、文化馆、博物馆、非遗馆、大剧院。",
        title_zh="区有“四馆一院”",
        title_en="The five district venues all exist",
        levels=(DISTRICT,),
        unit=COUNT,
        thresholds={DISTRICT: always(5)},
        owner_zh=BUREAU_ZH,
        owner_en=BUREAU_EN,
        definition_zh="由区运营、状态为开放的图书馆、文化馆、博物馆、非遗馆、剧院五类中已有的类数（0–5）。",
        definition_en="How many of the five kinds (library, culture centre, museum, heritage "
        "hall, theatre) exist as open venues run by the district itself (0-5).",
        calculator=calc.five_district_venues,
        notes_zh="“区有”读作运营单位为区本级；街道、社区办的博物馆不计。",
        notes_en="'The district has' is read as run by the district unit itself; museums run by "
        "a subdistrict or community do not count.",
    ),
    Indicator(
        id="S03",
        clause="附件 3",
        quote_zh="街道综合文化站应挂牌并对外开放服务，配备专职文化员。",
        title_zh="街道综合文化站挂牌开放并配备专职文化员",
        title_en="Each culture station signposted, open, with full-time culture staff",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: always(1.0), SUBDISTRICT: always(1.0)},
        owner_zh=SUBDISTRICTS_ZH,
        owner_en=SUBDISTRICTS_EN,
        definition_zh="街道：辖区内有状态为开放且有统一标识的综合文化站，并且街道本级有至少 1 名在岗的专职"
        "文化员，为 100%，否则 0%。区：达标街道数 ÷ 街道总数。",
        definition_en="Subdistrict: 100 % when an open culture station with signage stands in "
        "it AND the subdistrict's own staff include at least one active full-time culture "
        "worker, else 0 %. District: subdistricts meeting it / all subdistricts.",
        calculator=calc.stations_open_with_staff,
        notes_zh=f"“挂牌”读作场馆登记的“统一标识”；“对外开放”读作状态为开放；专职文化员取登记在街道本级"
        f"（不含下属社区）的工作人员。平台尚无任何工作人员记录时为“无数据”。{COVERAGE_NOTE_ZH}",
        notes_en="'Signposted' is the venue's signage flag; 'open' its status; full-time staff "
        "are staff records of the subdistrict unit itself (not its communities). With no staff "
        f"records at all the result is no data. {COVERAGE_NOTE_EN}",
    ),
    Indicator(
        id="S04",
        clause="附件 4",
        quote_zh="到2025年，省定一级综合文化站实现全覆盖。",
        title_zh="省定一级及以上综合文化站全覆盖",
        title_en="Every culture station provincial grade 1 or above by 2025",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: steps((2025, 1.0)), SUBDISTRICT: steps((2025, 1.0))},
        owner_zh=SUBDISTRICTS_ZH,
        owner_en=SUBDISTRICTS_EN,
        definition_zh="街道：辖区内有等级为省一级或省特级、状态为开放的综合文化站为 100%，否则 0%。"
        "区：达标街道数 ÷ 街道总数。",
        definition_en="Subdistrict: 100 % when an open culture station of provincial grade 1 or "
        "provincial special grade stands in it, else 0 %. District: subdistricts meeting it / "
        "all subdistricts.",
        calculator=calc.stations_grade_one,
        notes_zh=f"“省定一级（含）以上”取省一级、省特级。2025 年起评判。{COVERAGE_NOTE_ZH}",
        notes_en="'Provincial grade 1 or above' is provincial grade 1 or special grade. Judged "
        f"from 2025. {COVERAGE_NOTE_EN}",
    ),
    Indicator(
        id="S05",
        clause="附件 5",
        quote_zh="社区建有不少于100平方米的文化家园或文体活动中心，并有明确的标识标牌，并按省市标准配置"
        "相应的公共文化服务设施设备和体育器材。",
        title_zh="社区文化家园不少于100平方米，有标识、有设备",
        title_en="Every community has a culture centre of at least 100 m2 with signage and "
        "equipment",
        levels=(DISTRICT, SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={
            DISTRICT: steps((2025, 1.0)),
            SUBDISTRICT: steps((2025, 1.0)),
            COMMUNITY: steps((2025, 1.0)),
        },
        owner_zh="各街道办事处、各社区",
        owner_en="Subdistrict offices; communities",
        definition_zh="社区：辖区内有状态为开放、建筑面积不少于 100 平方米、有统一标识、且至少一间在用活动室"
        "登记了设备的社区文化家园为 100%，否则 0%。街道、区：达标社区数 ÷ 社区总数。",
        definition_en="Community: 100 % when an open community culture centre stands in it with "
        "a floor area of at least 100 m2, signage, and at least one active room with its "
        "equipment recorded; else 0 %. Subdistrict and district: communities meeting it / all "
        "communities.",
        calculator=calc.community_centres,
        notes_zh="“按省市标准配置设施设备和体育器材”无法从登记中逐项核对，读作至少一间在用活动室登记了设备；"
        "未填面积的按不达标计。正文二、（三）3 规定“到2025年……社区都建有100平方米以上的……文化家园”，"
        "故 2025 年起评判。场馆按所在社区计。",
        notes_en="'Equipment to the provincial and city standard' cannot be checked item by item "
        "from the registry; it is read as at least one active room with its equipment recorded. "
        "A centre without a recorded floor area does not count. The main text (2.3.3) sets 2025, "
        "so it is judged from 2025. Venues count for the community they stand in.",
    ),
    Indicator(
        id="S06",
        clause="附件 6",
        quote_zh="建有区级认定及以上的城市书房40家，实现街道全覆盖。",
        title_zh="区级认定及以上城市书房40家，街道全覆盖",
        title_en="At least 40 certified city bookrooms, one in every subdistrict",
        levels=(DISTRICT, SUBDISTRICT),
        unit=COUNT,
        thresholds={DISTRICT: steps((2025, 40)), SUBDISTRICT: always(1)},
        owner_zh=f"区图书馆、{SUBDISTRICTS_ZH}",
        owner_en=f"District library; {SUBDISTRICTS_EN}",
        definition_zh="状态为开放、认证等级为区级、市级或省级的城市书房数（按所在社区计入街道）。"
        "区不少于 40 家；每个街道不少于 1 家。",
        definition_en="Open city bookrooms certified at district, city or provincial level "
        "(counted where they stand). District: at least 40; each subdistrict: at least 1.",
        calculator=calc.certified_bookrooms,
        report_fields=(ReportField("value", "区级认定及以上城市书房数", "Certified bookrooms"),),
        notes_zh="附件未写年份；正文二、（二）3 规定“2025年，共建有区级认定及以上的城市书房40家”，故区级 40 家"
        "自 2025 年起评判，街道全覆盖自政策施行起评判。",
        notes_en="The annex gives no year; the main text (2.2.3) sets 2025 for the 40 bookrooms, "
        "so the district's 40 is judged from 2025 and every subdistrict having one from the "
        "policy's start.",
    ),
    Indicator(
        id="S07",
        clause="附件 7",
        quote_zh="文化驿站实现街道全覆盖。",
        title_zh="文化驿站街道全覆盖",
        title_en="A culture post in every subdistrict",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: steps((2025, 1.0)), SUBDISTRICT: steps((2025, 1.0))},
        owner_zh=SUBDISTRICTS_ZH,
        owner_en=SUBDISTRICTS_EN,
        definition_zh="街道：辖区内有状态为开放的文化驿站为 100%，否则 0%。区：有驿站的街道数 ÷ 街道总数。",
        definition_en="Subdistrict: 100 % when an open culture post stands in it, else 0 %. "
        "District: subdistricts with one / all subdistricts.",
        calculator=calc.culture_posts,
        notes_zh=f"{COVERAGE_NOTE_ZH}附件未写年份；{MAIN_TEXT_2025_ZH}与 T04 部分重合，各自保留。",
        notes_en=f"{COVERAGE_NOTE_EN} The annex gives no year. {MAIN_TEXT_2025_EN} Overlaps "
        "T04 in part; each keeps its own.",
    ),
    Indicator(
        id="S19",
        clause="附件 19",
        quote_zh="每个街道在其公共场所、居民小区等人流密集地点设置阅报栏或电子显示屏1处以上",
        title_zh="每个街道阅报栏或电子显示屏1处以上",
        title_en="At least one news board or e-screen in every subdistrict",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: always(1.0), SUBDISTRICT: always(1.0)},
        owner_zh=SUBDISTRICTS_ZH,
        owner_en=SUBDISTRICTS_EN,
        definition_zh="街道：辖区内有状态为开放的阅报栏或电子阅报屏为 100%，否则 0%。区：达标街道数 ÷ 街道总数。",
        definition_en="Subdistrict: 100 % when an open news board or e-screen stands in it, "
        "else 0 %. District: subdistricts meeting it / all subdistricts.",
        calculator=calc.news_boards,
        notes_zh=f"“人流密集地点”无法核对，任何登记的阅报栏、电子阅报屏都计入。{COVERAGE_NOTE_ZH}",
        notes_en="'Busy places' cannot be checked: every registered news board or e-screen "
        f"counts. {COVERAGE_NOTE_EN}",
    ),
    Indicator(
        id="S35",
        clause="附件 35",
        quote_zh="鼓励每个街道拥有一个全民健身中心和一个5人制足球场或篮球场或排球场，鼓励每个社区拥有"
        "一个多功能运动场或百姓健身房。",
        title_zh="（鼓励）街道有健身中心和五人制球场，社区有运动场或百姓健身房",
        title_en="(Encouraged) a fitness centre and a five-a-side court per subdistrict; a sports "
        "ground or public gym per community",
        levels=(SUBDISTRICT, COMMUNITY),
        unit=FLAG,
        thresholds={SUBDISTRICT: always(1), COMMUNITY: always(1)},
        owner_zh=f"{BUREAU_ZH}（体育）、{SUBDISTRICTS_ZH}",
        owner_en=f"{BUREAU_EN} (sports); {SUBDISTRICTS_EN}",
        definition_zh="街道：辖区内既有开放的全民健身中心又有开放的球场为“是”。社区：辖区内有开放的社区运动场地"
        "或百姓健身房为“是”。",
        definition_en="Subdistrict: yes when an open fitness centre and an open court stand in "
        "it. Community: yes when an open community sports ground or public gym stands in it.",
        calculator=calc.encouraged_sports,
        informational=True,
        notes_zh="政策用“鼓励”，只作信息展示，不判达标。普通“健身房”不计为百姓健身房。场馆按所在社区计。",
        notes_en="The policy only encourages this: shown for information, no verdict. A plain "
        "'gym' does not count as a public gym. Venues count where they stand.",
    ),
    Indicator(
        id="S47",
        clause="附件 47",
        quote_zh="区级图书馆、文化馆分馆实现街道全覆盖。",
        title_zh="图书馆、文化馆分馆街道全覆盖",
        title_en="Library and culture centre branches in every subdistrict",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: always(1.0), SUBDISTRICT: always(1.0)},
        owner_zh="区图书馆、区文化馆",
        owner_en="District library; district culture centre",
        definition_zh="街道：辖区内既有开放的图书馆分馆又有开放的文化馆分馆为 100%，否则 0%。"
        "区：两者兼有的街道数 ÷ 街道总数。",
        definition_en="Subdistrict: 100 % when an open library branch AND an open culture "
        "centre branch stand in it, else 0 %. District: subdistricts with both / all "
        "subdistricts.",
        calculator=calc.branches,
        notes_zh=f"读作两类分馆都须覆盖每个街道。{COVERAGE_NOTE_ZH}",
        notes_en=f"Read as both kinds of branch in every subdistrict. {COVERAGE_NOTE_EN}",
    ),
)
