"""Funding, library stock, evaluation and the attested items: T08, T16, T18, S17, S33, S34,
S38, S50, S52, S53. Figures are reported (统计填报) or evidence is attested; S17 is computed
from the library system's copies once the platform holds any (the reported figures are shown
beside)."""

from __future__ import annotations

from culture.standards.calculators.people import library, reported
from culture.standards.catalogue.types import (
    ATTEST,
    DATA_ATTEST,
    DISTRICT,
    FLAG,
    PER_RESIDENT,
    SHARE,
    SUBDISTRICT,
    YUAN_PER_RESIDENT,
    Indicator,
    ReportField,
    always,
    steps,
)

_ATTESTED_NOTE_ZH = (
    "由责任单位上传佐证材料，经区文旅局审核通过后当年计为达标；无通过的佐证为无数据。"
)
_ATTESTED_NOTE_EN = (
    "The responsible unit uploads evidence; once the district bureau accepts it the item "
    "counts as met for that year. No accepted evidence: no data."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="T08",
        clause="二、（四）2",
        quote_zh="加快文博场馆景区化进程，京杭大运河博物馆成功创建3A级景区",
        title_zh="京杭大运河博物馆创建3A级景区",
        title_en="The Grand Canal Museum becomes a 3A scenic area",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: steps((2025, 1))},
        kind=ATTEST,
        owner_zh="京杭大运河博物馆（区文旅局）",
        owner_en="Grand Canal Museum (district culture and tourism bureau)",
        definition_zh="3A级景区评定文件经审核通过即达标。",
        definition_en="Met when the 3A scenic-area rating document is accepted as evidence.",
        notes_zh="政策未写明年份，按实施意见“到2025年”的总体期限理解，2025年前未到期。"
        + _ATTESTED_NOTE_ZH,
        notes_en="No year in the clause: read as 'by 2025' (not due before). " + _ATTESTED_NOTE_EN,
    ),
    Indicator(
        id="T16",
        clause="三、（三）",
        quote_zh="街道年人均投入公共文化服务活动经费不少于20元，其中用于购书款不少于2元（按常住人口数计算）",
        title_zh="街道年人均公共文化服务活动经费≥20元，其中购书款≥2元",
        title_en="Subdistrict spending on cultural activities >= 20 CNY per resident a year, of "
        "which books >= 2 CNY",
        levels=(SUBDISTRICT,),
        unit=YUAN_PER_RESIDENT,
        thresholds={SUBDISTRICT: always(reported.T16_ACTIVITY_YUAN)},
        owner_zh="各街道（区财政局保障）",
        owner_en="Every subdistrict (funded with the district finance bureau)",
        definition_zh="当年公共文化服务活动经费 ÷ 常住人口（数值）；同时购书款 ÷ 常住人口须≥2元，"
        "两项都达到才达标。",
        definition_en="The year's spending on public cultural activities / residents (the "
        "value); book spending / residents must also reach 2 CNY: both are needed.",
        report_fields=(
            ReportField(
                "activity_spending", "公共文化服务活动经费（元）", "Activity spending (CNY)"
            ),
            ReportField("book_spending", "其中购书款（元）", "Of which book spending (CNY)"),
        ),
        value_from_reported=reported.spending_per_resident,
        notes_zh="经费功能上线前由街道填报全年支出。“其中”表示购书款包含在活动经费之内。人口为街道"
        "常住人口。两项任一未填为无数据。",
        notes_en="Reported by the subdistrict until the funding feature exists. 'Of which' means "
        "book spending is part of the activity spending. Population: the subdistrict's "
        "residents. Either figure missing: no data.",
    ),
    Indicator(
        id="T18",
        clause="三、（四）",
        quote_zh="引入第三方开展公共文化服务绩效考评和群众满意度测评，将考核与测评结果作为补助与表彰依据",
        title_zh="每年引入第三方开展绩效考评和群众满意度测评",
        title_en="A third-party performance evaluation and satisfaction survey each year",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        kind=DATA_ATTEST,
        owner_zh="区文旅局",
        owner_en="District culture and tourism bureau",
        definition_zh="当年第三方绩效考评和群众满意度测评均已开展记1，任一未开展记0。",
        definition_en="1 when both the third-party performance evaluation and the satisfaction "
        "survey were carried out in the year, 0 when either was not.",
        report_fields=(
            ReportField("evaluation_done", "已开展第三方绩效考评（1/0）", "Evaluation done", FLAG),
            ReportField("survey_done", "已开展群众满意度测评（1/0）", "Survey done", FLAG),
        ),
        value_from_reported=reported.evaluation_and_survey,
        notes_zh="评估功能上线前由区填报，或上传委托合同、评估报告作佐证。" + _ATTESTED_NOTE_ZH,
        notes_en="Reported by the district until the evaluation feature exists, or attested "
        "with the contract and report. " + _ATTESTED_NOTE_EN,
    ),
    Indicator(
        id="S17",
        clause="附件 17",
        quote_zh="区级公共图书馆总藏书量达到人均1.5册，人均年新增藏书量0.08册以上。",
        title_zh="图书馆藏书人均1.5册，人均年新增0.08册以上",
        title_en="Library stock 1.5 books per resident; new stock >= 0.08 per resident a year",
        levels=(DISTRICT,),
        unit=PER_RESIDENT,
        thresholds={DISTRICT: always(reported.S17_STOCK)},
        owner_zh="区图书馆",
        owner_en="District library",
        definition_zh="总藏书量 ÷ 全区常住人口（数值）；同时当年新增藏书量 ÷ 全区常住人口须≥0.08册，"
        "两项都达到才达标。总藏书量：总分馆体系（区图书馆、分馆、阅览室、城市书房）所属的馆藏中，"
        "未遗失、未剔旧且入藏日期不晚于当年12月31日的册数；当年新增：入藏日期在当年的册数。",
        definition_en="Total stock / the district's residents (the value); the year's new stock "
        "/ residents must also reach 0.08: both are needed. Total stock: copies belonging to the "
        "main/branch system (the district library, branches, reading rooms, city bookrooms) that "
        "are not lost or withdrawn and were acquired by 31 December of the year; new stock: "
        "copies acquired in the year.",
        calculator=library.library_stock,
        report_fields=(
            ReportField("stock", "总藏书量（册）", "Total stock (books)"),
            ReportField("new_stock", "当年新增藏书量（册）", "New stock this year (books)"),
        ),
        value_from_reported=reported.stock_per_resident,
        uses_definitions=("library_stock_complete_from",),
        notes_zh="自“平台馆藏完整的起始年份”（命名定义，默认 0 即尚未完整）起，平台图书馆系统有馆藏记录时"
        "按馆藏计算，区图书馆填报的数字并列显示（不一致时标出）；此前的年份或没有馆藏记录时用填报数（含分馆、城市书房的区馆藏书，两项任一未填为无数据）。无入藏日期的馆藏"
        "计入总藏书量、不计入新增；遗失、剔旧按当前状态扣除（系统不记剔旧日期，评估往年时同样扣除）；"
        "当年新增按入藏日期计，当年入藏后遗失的仍计为新增。人口为全区常住人口（各街道之和）。",
        notes_en="From the named definition's 'first year the platform holds the whole stock' "
        "on (default 0: not yet), computed from the library system's copies when the platform "
        "holds any, the "
        "district library's reported figures shown beside (marked when they differ); reported "
        "figures otherwise (branches and bookrooms included; either figure missing: no data). A "
        "copy without an acquisition date counts in the stock, not as new; lost and withdrawn "
        "copies are left out by their current status (no withdrawal date is kept, so past years "
        "leave them out too); new stock goes by acquisition date, a copy acquired and lost in "
        "the year still counts as new. Population: the district's residents (sum of the "
        "subdistricts).",
    ),
    Indicator(
        id="S33",
        clause="附件 33",
        quote_zh="通过地面数字电视提供不少于15套电视节目，高清电视覆盖率达到60%以上。",
        title_zh="地面数字电视不少于15套节目，高清覆盖率60%以上",
        title_en=">= 15 digital terrestrial TV channels; HD coverage >= 60 %",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        kind=ATTEST,
        owner_zh="区文旅局（广电）",
        owner_en="District culture and tourism bureau (broadcasting)",
        definition_zh="节目套数和高清覆盖率的证明材料经审核通过即达标。",
        definition_en="Met when evidence of the channel count and HD coverage is accepted.",
        notes_zh=_ATTESTED_NOTE_ZH,
        notes_en=_ATTESTED_NOTE_EN,
    ),
    Indicator(
        id="S34",
        clause="附件 34",
        quote_zh="为低保户提供免费或优惠服务，为拥军户、贫困残疾人用户等特殊人群提供优惠服务。",
        title_zh="低保户免费或优惠、拥军户和贫困残疾人优惠的电视服务",
        title_en="Free or discounted TV service for low-income and priority households",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        kind=ATTEST,
        owner_zh="区文旅局（广电）",
        owner_en="District culture and tourism bureau (broadcasting)",
        definition_zh="优惠政策文件及执行情况材料经审核通过即达标。",
        definition_en="Met when the discount policy and evidence of its use are accepted.",
        notes_zh=_ATTESTED_NOTE_ZH,
        notes_en=_ATTESTED_NOTE_EN,
    ),
    Indicator(
        id="S38",
        clause="附件 38",
        quote_zh="为城乡低保户免费提供基本有线数字电视节目，免除安装费和收视费。为拥军户、城乡贫困残疾人"
        "等特殊群体优惠提供基本有线数字电视节目。",
        title_zh="低保户免费基本有线数字电视，特殊群体优惠",
        title_en="Free basic cable TV for low-income households; discounts for priority groups",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        kind=ATTEST,
        owner_zh="区文旅局（广电）、区民政局",
        owner_en="District culture and tourism bureau (broadcasting); civil affairs bureau",
        definition_zh="减免政策及执行情况材料经审核通过即达标。",
        definition_en="Met when the waiver policy and evidence of its use are accepted.",
        notes_zh=_ATTESTED_NOTE_ZH,
        notes_en=_ATTESTED_NOTE_EN,
    ),
    Indicator(
        id="S50",
        clause="附件 50",
        quote_zh="动态调整并公布公共文化领域政府向社会力量购买服务目录。",
        title_zh="动态调整并公布政府购买公共文化服务目录",
        title_en="The purchase-of-services catalogue updated and published",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        owner_zh="区文旅局、区财政局",
        owner_en="District culture and tourism bureau; finance bureau",
        definition_zh="当年已调整并公布购买服务目录记1，否则记0（填报）。",
        definition_en="1 when the catalogue was reviewed and published in the year, else 0 "
        "(reported).",
        report_fields=(
            ReportField(
                "value",
                "当年已调整并公布目录（1=是，0=否）",
                "Updated and published this year (1 = yes, 0 = no)",
                FLAG,
            ),
        ),
        notes_zh="“动态调整”理解为每年至少复核一次并公布；平台暂无购买服务目录记录，由区填报。",
        notes_en="'Adjusted dynamically' is read as reviewed and published at least once a "
        "year; no catalogue records here yet, so the district reports it.",
    ),
    Indicator(
        id="S52",
        clause="附件 52",
        quote_zh="人民群众对公共文化服务满意率达到85%以上。",
        title_zh="群众满意率85%以上",
        title_en="Satisfaction >= 85 %",
        levels=(DISTRICT, SUBDISTRICT),
        unit=SHARE,
        thresholds={DISTRICT: always(0.85), SUBDISTRICT: always(0.85)},
        owner_zh="区文旅局（第三方测评）、各街道",
        owner_en="District culture and tourism bureau (third-party survey); subdistricts",
        definition_zh="当年群众满意度测评的满意率（满意人数 ÷ 有效答卷数，填报为0–1的比例）。",
        definition_en="The satisfaction rate of the year's survey (satisfied / valid answers, "
        "reported as a fraction 0-1).",
        report_fields=(ReportField("value", "满意率", "Satisfaction rate", SHARE),),
        notes_zh="满意度调查功能上线前由区、街道填报第三方测评结果。",
        notes_en="Reported from the third-party survey until the survey feature exists.",
    ),
    Indicator(
        id="S53",
        clause="附件 53",
        quote_zh="建立公共文化服务绩效评价机制，委托第三方开展绩效评估。",
        title_zh="委托第三方开展绩效评估",
        title_en="Performance evaluated by a third party",
        levels=(DISTRICT,),
        unit=FLAG,
        thresholds={DISTRICT: always(1)},
        kind=DATA_ATTEST,
        owner_zh="区文旅局",
        owner_en="District culture and tourism bureau",
        definition_zh="当年已委托第三方开展绩效评估记1，否则记0（填报或佐证）。",
        definition_en="1 when a third party evaluated performance in the year, else 0 "
        "(reported or attested).",
        report_fields=(
            ReportField(
                "value",
                "当年已委托第三方评估（1=是，0=否）",
                "Third-party evaluation this year (1 = yes, 0 = no)",
                FLAG,
            ),
        ),
        notes_zh="按年度判定。" + _ATTESTED_NOTE_ZH,
        notes_en="Judged each year. " + _ATTESTED_NOTE_EN,
    ),
)
