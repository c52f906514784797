"""Word lists for the demo's synthetic catalogue: plausible Chinese titles by subject, each
subject with its 中图分类号 (CLC) stem and item type. Nothing here is a real book except the 三体
trilogy (``REAL_TITLES``), kept so the catalogue search shows its ranking."""

from __future__ import annotations

import random
from dataclasses import dataclass

# (title, author, publisher, year, ISBN-13): real records, so the search demo finds them.
REAL_TITLES = (
    ("三体", "刘慈欣", "重庆出版社", 2008, "9787536692930"),
    ("三体Ⅱ：黑暗森林", "刘慈欣", "重庆出版社", 2008, "9787536693968"),
    ("三体Ⅲ：死神永生", "刘慈欣", "重庆出版社", 2010, "9787229030933"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏俊晨婷雪琳慧颖倩欣怡佳宁梅晓海波林峰志远航思哲安然子墨清越"
PUBLISHERS = ("运河文艺", "钱塘科技", "西子少儿", "江南人文", "武林古籍", "湖墅教育", "拱宸美术",
              "半山生活", "东新社会科学", "北部新城")  # fmt: skip
SYNTHETIC_MARK = "（演示合成）"  # appended to the publisher of every generated title

PLACES = ("运河", "江南", "杭州", "钱塘", "西湖", "拱宸桥", "小河直街", "大兜路", "半山", "北方",
          "南方", "故乡", "小镇", "长街", "老城", "山城", "海边", "雪国", "草原", "塞上")  # fmt: skip
NOUNS = ("河流", "灯火", "星空", "时光", "故事", "少年", "人间", "四季", "花园", "归途", "明月",
         "春天", "远方", "烟火", "渡口", "雨巷", "书信", "长夜", "晨光", "旧梦", "风景", "岁月")  # fmt: skip
ADJS = ("温暖的", "沉默的", "遥远的", "寂静的", "平凡的", "最后的", "漫长的", "明亮的", "消失的",
        "燃烧的", "流动的", "隐秘的")  # fmt: skip
ANIMALS = ("小熊", "小兔", "狐狸", "刺猬", "企鹅", "小猫", "大象", "松鼠", "恐龙", "熊猫", "青蛙")
DYNASTIES = ("先秦", "汉代", "唐代", "宋代", "南宋", "元代", "明代", "清代", "近代", "民国")
TOPICS = ("城市生活", "市井文化", "商业", "漕运", "书院", "茶事", "丝绸", "园林", "饮食", "戏曲")
SCIENCES = ("天文", "物理", "化学", "生物", "数学", "地理", "人工智能", "编程", "气象", "海洋")
LIFE = ("家常菜", "养生", "太极拳", "八段锦", "园艺", "收纳", "育儿", "手机摄影", "中医食疗")
ARTS = ("书法", "国画", "水彩", "篆刻", "越剧", "古琴", "剪纸", "摄影", "素描", "昆曲")
FORMS_LIT = ("", "", "", "：中短篇小说集", "：散文集", "：诗选", "（修订版）")
FORMS_NONFIC = ("简史", "十讲", "入门", "通识", "漫谈", "图说", "研究", "概论")


@dataclass(frozen=True)
class Subject:
    key: str
    label: str  # 主题词
    clc: str  # CLC stem; a number is added per title
    item_type: str
    weight: float


SUBJECTS = (
    Subject("novel", "中国当代小说", "I247.5", "book", 0.26),
    Subject("essay", "散文", "I267", "book", 0.10),
    Subject("children", "儿童文学", "I287", "children", 0.16),
    Subject("history", "地方史", "K29", "book", 0.10),
    Subject("culture", "中国文化", "G12", "book", 0.07),
    Subject("science", "科普读物", "N49", "book", 0.11),
    Subject("life", "生活", "TS97", "book", 0.10),
    Subject("art", "艺术", "J2", "book", 0.07),
    Subject("reference", "工具书", "Z22", "reference", 0.03),
)


def _author(rng: random.Random) -> str:
    name = (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )
    return name + rng.choice((" 著", " 著", " 编著", " 主编", " 著", " 编"))


def _title(rng: random.Random, key: str) -> str:
    c = rng.choice
    if key == "novel":
        pattern = rng.randrange(4)
        stem = (f"{c(PLACES)}{c(NOUNS)}", f"{c(ADJS)}{c(NOUNS)}", f"{c(NOUNS)}里的{c(NOUNS)}",
                f"{c(PLACES)}往事")[pattern]  # fmt: skip
        return stem + c(FORMS_LIT)
    if key == "essay":
        return c((f"{c(PLACES)}{c(NOUNS)}记", f"{c(NOUNS)}与{c(NOUNS)}", f"在{c(PLACES)}的日子"))
    if key == "children":
        return c((f"{c(ANIMALS)}的{c(NOUNS)}", f"{c(ANIMALS)}和{c(ANIMALS)}",
                  f"十万个为什么·{c(SCIENCES)}", f"{c(ANIMALS)}去{c(PLACES)}"))  # fmt: skip
    if key == "history":
        return c((f"{c(DYNASTIES)}杭州{c(TOPICS)}", f"{c(PLACES)}{c(TOPICS)}史话",
                  f"大运河{c(TOPICS)}{c(FORMS_NONFIC)}"))  # fmt: skip
    if key == "culture":
        return c(
            (f"中国{c(TOPICS)}{c(FORMS_NONFIC)}", f"拱墅{c(TOPICS)}", f"{c(PLACES)}的{c(TOPICS)}")
        )
    if key == "science":
        return c((f"{c(SCIENCES)}{c(FORMS_NONFIC)}", f"给孩子的{c(SCIENCES)}课",
                  f"{c(SCIENCES)}的故事"))  # fmt: skip
    if key == "life":
        return c((f"{c(LIFE)}一本通", f"中老年{c(LIFE)}手册", f"{c(LIFE)}入门"))
    if key == "art":
        return c((f"{c(ARTS)}技法{c(FORMS_NONFIC)}", f"中国{c(ARTS)}鉴赏", f"跟我学{c(ARTS)}"))
    return c((f"{c(SCIENCES)}百科图典", f"{c(ARTS)}辞典", f"{c(TOPICS)}大辞典"))


@dataclass(frozen=True)
class SyntheticTitle:
    title: str
    author: str
    publisher: str
    pub_year: int
    clc: str
    subject: str
    item_type: str


def synthetic_titles(rng: random.Random, n: int, *, this_year: int) -> list[SyntheticTitle]:
    """``n`` generated titles (a few repeat, as in any catalogue: different editions)."""
    weights = [s.weight for s in SUBJECTS]
    out = []
    for _ in range(n):
        subject = rng.choices(SUBJECTS, weights)[0]
        year = min(this_year, int(rng.triangular(1995, this_year + 1, this_year)))
        out.append(
            SyntheticTitle(
                title=_title(rng, subject.key),
                author=_author(rng),
                publisher=f"{rng.choice(PUBLISHERS)}出版社{SYNTHETIC_MARK}",
                pub_year=year,
                clc=f"{subject.clc}{rng.randint(1, 9)}" if "." in subject.clc else subject.clc,
                subject=subject.label,
                item_type=subject.item_type,
            )
        )
    return out
