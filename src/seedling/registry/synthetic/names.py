"""Chinese names as they occur: surnames by real frequency, given names by birth cohort (pure data).

Surname weights are shares of the population in per mille, rounded from the Ministry of Public
Security's 2020 household-registration ranking; regional multipliers follow provincial rankings
(陈 and 林 lead in coastal Zhejiang, 应 and 楼 cluster around Wuyi and Yongkang). Given-name pools are
the names most often given in each cohort, most popular first, with homophones (子涵 / 梓涵 / 紫涵) on
purpose: search and duplicate detection must cope with them.
"""

import random


def _weights(text: str) -> dict[str, float]:
    pairs = (item.split(":") for item in text.split())
    return {name: float(weight) for name, weight in pairs}


SURNAMES = _weights("""
王:71.2 李:70.6 张:67.6 刘:53.8 陈:45.3 杨:30.8 黄:22.3 赵:21.2 吴:20.0 周:19.2 徐:16.3 孙:15.2
马:14.8 朱:13.9 胡:13.1 郭:12.3 何:12.0 林:11.5 罗:11.2 高:10.8 郑:9.8 梁:9.4 谢:8.3 宋:7.6
唐:7.5 许:7.1 韩:6.8 邓:6.6 冯:6.6 曹:6.4 彭:6.3 曾:6.1 肖:6.0 田:5.8 董:5.5 潘:5.4 袁:5.3
蔡:5.1 蒋:5.0 余:4.9 于:4.8 杜:4.7 叶:4.6 程:4.5 魏:4.4 苏:4.3 吕:4.2 丁:4.1 任:4.0 卢:3.9
姚:3.8 沈:3.7 钟:3.6 姜:3.5 崔:3.4 谭:3.3 陆:3.2 范:3.1 汪:3.0 廖:2.9 石:2.8 金:2.7 韦:2.6
贾:2.6 夏:2.5 付:2.5 方:2.4 邹:2.3 熊:2.2 白:2.2 孟:2.1 秦:2.1 邱:2.0 侯:2.0 江:1.9 尹:1.9
薛:1.8 闫:1.8 段:1.7 雷:1.7 龙:1.6 黎:1.6 史:1.6 陶:1.5 贺:1.5 毛:1.5 郝:1.4 顾:1.4 龚:1.3
邵:1.3 万:1.3 覃:1.2 武:1.2 钱:1.2 戴:1.2 严:1.1 莫:1.1 孔:1.1 向:1.0 常:1.0 汤:1.0 康:1.0
易:0.9 乔:0.9 赖:0.9 文:0.9 施:0.8 洪:0.8 颜:0.7 应:0.6 俞:0.6 章:0.6 楼:0.3 虞:0.3 单:0.3
蓝:0.3 柳:0.2 仇:0.2 解:0.2 查:0.2 盖:0.1 区:0.1 朴:0.1
""")
# Inflated over their real share (~0.1% together) so that the demo has a dozen or two of them.
COMPOUND_SURNAMES = _weights("""
欧阳:2.5 司马:0.8 诸葛:0.6 上官:0.8 东方:0.6 皇甫:0.6 尉迟:0.4 公孙:0.4 慕容:0.4 长孙:0.3 令狐:0.4 夏侯:0.4
""")
# Multipliers by area code prefix (province, then county): they compound.
REGIONAL = {
    "33": _weights(
        "陈:1.8 林:2.5 徐:1.6 吴:1.5 叶:3 郑:2 应:8 俞:4 潘:2 金:3 周:1.5 蒋:2 章:3 楼:8 汤:2 邵:2"
    ),
    "331081": _weights("林:3 陈:1.4 江:3 颜:4 蔡:2 毛:2 郑:1.3 应:0.1 楼:0.1"),
    "11": _weights("王:1.3 张:1.4 李:1.3 刘:1.5 赵:1.5 高:1.4 马:1.3 杨:1.2"),
}
# Minority groups met in the demo areas (GB/T 3304 code) and their most common surnames.
MINORITY_SURNAMES = {
    "22": _weights("蓝:40 雷:35 钟:20 李:5"),  # 畲族, 柳城畲族镇 (武义)
    "03": _weights("马:30 刘:15 白:12 金:10 王:10 杨:8 海:5 张:10"),  # 回族, 于家务回族乡 (通州)
    "06": _weights("杨:25 吴:20 龙:15 石:15 王:10 李:10 张:5"),  # 苗族 (migrant families from Guizhou)
    "09": _weights("王:25 韦:25 罗:20 陈:15 黄:15"),  # 布依族 (Guizhou)
}

GIVEN_NAMES = {
    ("M", "child_early"): """浩然 子豪 宇轩 浩宇 俊杰 子轩 博文 宇航 梓豪 文博 皓轩 家豪 明轩 天宇 俊熙
        一鸣 浩轩 嘉豪 子健 思远 晨阳 泽宇 志豪 俊宇 鑫磊 佳豪 振宇 晓峰 子龙 文轩 浩 宇 杰 涛 磊 鑫 凯 阳 乐""",
    ("M", "child_late"): """沐宸 浩宇 宇轩 一诺 奕辰 梓睿 子墨 沐阳 梓豪 宇泽 铭泽 承泽 睿泽 皓宇 浩然 若宇
        梓轩 亦辰 宸睿 俊熙 锦程 明哲 子骞 煜祺 嘉懿 昊然 逸辰 梓航 景行 沐辰 宸 睿 哲 轩 博 乐 朗""",
    ("F", "child_early"): """欣怡 梓涵 诗涵 梓萱 子涵 雨涵 可馨 思涵 紫涵 佳怡 雨欣 欣妍 雨桐 婧琪 佳琪
        梦瑶 语嫣 心怡 紫萱 艺涵 晓彤 雅婷 佳慧 静怡 梦琪 晨曦 雨萱 琪 欣 悦 雪 婷 怡 瑶 颖 静""",
    ("F", "child_late"): """一诺 依诺 梓涵 欣怡 语桐 若汐 诗涵 梓萱 可欣 芷若 沐晴 雨桐 语汐 梓玥 安然
        思妍 伊诺 芊芊 梓晴 馨怡 紫涵 子涵 书瑶 清欢 星辰 知夏 沐瑶 婉清 楚然 悦 玥 妍 彤 萱 涵 乐""",
    ("M", "parent"): """伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 建华 建军 志强 海波 晓东 国平
        永强 建平 志刚 俊 林 峰 亮 浩 文斌 海军 伟华 立新 剑 锋 晓峰 建伟 金龙 跃进 国良 晓军 卫星 旭东""",
    ("F", "parent"): """芳 娟 敏 静 丽 艳 霞 燕 玲 丹 萍 红 英 慧 晓燕 丽娟 海燕 雪梅 春燕 丽萍 美玲 小红
        秀芳 婷 莉 倩 琳 洁 晓丽 佳 蕾 婷婷 丽丽 燕萍 晓红 彩霞 金娟 素芳 月娟 巧玲""",
    ("M", "grandparent"): """建国 国华 德明 金水 根土 福生 志明 新民 卫东 国庆 永福 立明 金根 水根 德华
        荣华 长根 建中 明德 振华 有财 土根 樟水 春生 关根 文华 茂林 炳荣 正清 樟根""",
    ("F", "grandparent"): """秀英 桂英 玉兰 秀兰 凤英 翠花 桂芳 美华 素芬 月娥 彩凤 秀珍 玉英 爱华 桂香
        菊英 金花 雪英 小妹 彩英 素珍 兰英 美娟 荷花 春香 爱琴 菊花 银花""",
}
GIVEN_NAMES = {key: words.split() for key, words in GIVEN_NAMES.items()}
_UYGHUR = {
    "M": "艾力 买买提 阿卜杜拉 艾克拜尔 伊力哈木 努尔 迪力夏提 艾尔肯 亚森 热合曼 吐尔逊 麦麦提",
    "F": "阿依古丽 古丽米拉 热依拉 迪丽努尔 米热古丽 帕提古丽 努尔阿依 阿娜尔古丽 再努尔 布阿依夏",
}
UYGHUR_GIVEN = {sex: words.split() for sex, words in _UYGHUR.items()}
SURNAME_CHARS = set(SURNAMES) | set(COMPOUND_SURNAMES)


class NamePicker:
    """Draws surnames and given names for one region; every draw comes from the caller's Random."""

    def __init__(self, rng: random.Random, region_codes: tuple[str, ...] = ()):
        self.rng = rng
        weights = dict(SURNAMES)
        for code in region_codes:
            for surname, factor in REGIONAL.get(code, {}).items():
                weights[surname] = weights.get(surname, 0.3) * factor
        weights.update(COMPOUND_SURNAMES)
        self._surnames = list(weights)
        self._cum = _cumulative(weights.values())

    def surname(self, ethnic_group: str = "01") -> str:
        if ethnic_group in MINORITY_SURNAMES:
            table = MINORITY_SURNAMES[ethnic_group]
            return self.rng.choices(list(table), weights=list(table.values()))[0]
        return self.rng.choices(self._surnames, cum_weights=self._cum)[0]

    def given(self, sex: str, cohort: str) -> str:
        pool = GIVEN_NAMES[(sex, cohort)]
        if self.rng.random() < 0.5:  # a popular name: Zipf-like over the head of the list
            return pool[min(int(self.rng.paretovariate(1.1)) - 1, len(pool) - 1)]
        return self.rng.choice(pool)

    def uyghur_own(self, sex: str) -> str:
        return self.rng.choice(UYGHUR_GIVEN[sex])

    def uyghur(self, sex: str, father_own: str) -> tuple[str, str]:
        """(full name, own name): a Uyghur name is one's own name · the father's own name."""
        own = self.uyghur_own(sex)
        return f"{own}·{father_own}", own


def child_cohort(birth_year: int) -> str:
    return "child_early" if birth_year < 2015 else "child_late"


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
