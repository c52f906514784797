"""Facts for the synthetic demo district: the 18 real subdistricts of Gongshu and the syllables
from which plausible community names are made. Codes are invented (national format)."""

from __future__ import annotations

from dataclasses import dataclass

DISTRICT_CODE = "330105"
DISTRICT_NAME_ZH = "拱墅区"
DISTRICT_NAME_EN = "Gongshu District"

# A plausible outline of the district (lon, lat), drawn by hand: narrow in the south around
# Wulin Square, wide in the north (Kangqiao, Banshan). It is scaled about its centroid to
# DISTRICT_AREA_KM2 (measured in EPSG:4549) before use.
OUTLINE_LONLAT: tuple[tuple[float, float], ...] = (
    (120.158, 30.262),
    (120.170, 30.263),
    (120.185, 30.266),
    (120.194, 30.275),
    (120.198, 30.288),
    (120.203, 30.302),
    (120.210, 30.316),
    (120.217, 30.331),
    (120.219, 30.346),
    (120.214, 30.361),
    (120.204, 30.375),
    (120.190, 30.388),
    (120.172, 30.395),
    (120.152, 30.393),
    (120.137, 30.384),
    (120.124, 30.370),
    (120.109, 30.356),
    (120.097, 30.341),
    (120.096, 30.324),
    (120.106, 30.310),
    (120.121, 30.298),
    (120.134, 30.286),
    (120.144, 30.274),
)
DISTRICT_AREA_KM2 = 119.0


@dataclass(frozen=True)
class SubdistrictFact:
    number: int  # the invented code is 330105 + f"{number:03d}"
    name_zh: str
    name_en: str
    lon: float  # approximate centre, seeds the Voronoi cell
    lat: float
    density: float  # residents per km2 before the district total is normalised

    @property
    def code(self) -> str:
        return f"{DISTRICT_CODE}{self.number:03d}"


# South and east (former Xiacheng district) first, then north and west (former Gongshu).
SUBDISTRICTS: tuple[SubdistrictFact, ...] = (
    SubdistrictFact(1, "武林街道", "Wulin Subdistrict", 120.163, 30.270, 30000),
    SubdistrictFact(2, "天水街道", "Tianshui Subdistrict", 120.175, 30.275, 32000),
    SubdistrictFact(3, "长庆街道", "Changqing Subdistrict", 120.154, 30.279, 31000),
    SubdistrictFact(4, "潮鸣街道", "Chaoming Subdistrict", 120.187, 30.279, 29000),
    SubdistrictFact(5, "朝晖街道", "Zhaohui Subdistrict", 120.170, 30.290, 24000),
    SubdistrictFact(6, "文晖街道", "Wenhui Subdistrict", 120.188, 30.294, 20000),
    SubdistrictFact(7, "东新街道", "Dongxin Subdistrict", 120.188, 30.311, 13000),
    SubdistrictFact(8, "石桥街道", "Shiqiao Subdistrict", 120.202, 30.330, 8000),
    SubdistrictFact(9, "米市巷街道", "Mishixiang Subdistrict", 120.158, 30.291, 22000),
    SubdistrictFact(10, "湖墅街道", "Hushu Subdistrict", 120.145, 30.294, 21000),
    SubdistrictFact(11, "小河街道", "Xiaohe Subdistrict", 120.137, 30.306, 16000),
    SubdistrictFact(12, "和睦街道", "Hemu Subdistrict", 120.124, 30.310, 14000),
    SubdistrictFact(13, "拱宸桥街道", "Gongchenqiao Subdistrict", 120.147, 30.318, 15000),
    SubdistrictFact(14, "大关街道", "Daguan Subdistrict", 120.157, 30.305, 19000),
    SubdistrictFact(15, "上塘街道", "Shangtang Subdistrict", 120.170, 30.312, 14000),
    SubdistrictFact(16, "祥符街道", "Xiangfu Subdistrict", 120.113, 30.333, 6000),
    SubdistrictFact(17, "康桥街道", "Kangqiao Subdistrict", 120.160, 30.370, 3500),
    SubdistrictFact(18, "半山街道", "Banshan Subdistrict", 120.192, 30.360, 3500),
)

TOTAL_POPULATION = 1_200_000
PEOPLE_PER_COMMUNITY = 6_000  # about 200 communities in all

# Syllables (hanzi, pinyin) for community names such as 仓基新村社区 (Cangji Xincun Community).
FIRST: tuple[tuple[str, str], ...] = (
    ("仓", "Cang"),
    ("德", "De"),
    ("和", "He"),
    ("青", "Qing"),
    ("朝", "Chao"),
    ("红", "Hong"),
    ("东", "Dong"),
    ("西", "Xi"),
    ("南", "Nan"),
    ("北", "Bei"),
    ("运", "Yun"),
    ("湖", "Hu"),
    ("米", "Mi"),
    ("大", "Da"),
    ("小", "Xiao"),
    ("长", "Chang"),
    ("文", "Wen"),
    ("永", "Yong"),
    ("香", "Xiang"),
    ("桃", "Tao"),
    ("瓜", "Gua"),
    ("柳", "Liu"),
    ("金", "Jin"),
    ("银", "Yin"),
    ("宝", "Bao"),
    ("丽", "Li"),
    ("新", "Xin"),
    ("华", "Hua"),
    ("庆", "Qing"),
    ("善", "Shan"),
    ("信", "Xin"),
    ("义", "Yi"),
    ("胜", "Sheng"),
    ("瑞", "Rui"),
    ("祥", "Xiang"),
    ("康", "Kang"),
    ("杭", "Hang"),
    ("沈", "Shen"),
    ("潮", "Chao"),
    ("宸", "Chen"),
    ("半", "Ban"),
    ("石", "Shi"),
)
SECOND: tuple[tuple[str, str], ...] = (
    ("基", "ji"),
    ("安", "an"),
    ("园", "yuan"),
    ("苑", "yuan"),
    ("光", "guang"),
    ("塘", "tang"),
    ("桥", "qiao"),
    ("河", "he"),
    ("山", "shan"),
    ("林", "lin"),
    ("家", "jia"),
    ("兴", "xing"),
    ("平", "ping"),
    ("景", "jing"),
    ("晖", "hui"),
    ("源", "yuan"),
    ("庄", "zhuang"),
    ("湾", "wan"),
    ("浦", "pu"),
    ("洲", "zhou"),
    ("坝", "ba"),
    ("巷", "xiang"),
    ("宁", "ning"),
    ("春", "chun"),
    ("阳", "yang"),
    ("和", "he"),
    ("荷", "he"),
    ("枫", "feng"),
    ("梅", "mei"),
    ("竹", "zhu"),
)
SUFFIX: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("", ""),
    ("", ""),
    ("新村", "Xincun"),
    ("新村", "Xincun"),
    ("花园", "Huayuan"),
    ("家园", "Jiayuan"),
    ("里", "Li"),
    ("坊", "Fang"),
    ("苑", "Yuan"),
    ("弄", "Nong"),
    ("府", "Fu"),
    ("公寓", "Gongyu"),
    ("北苑", "Beiyuan"),
    ("南苑", "Nanyuan"),
)
