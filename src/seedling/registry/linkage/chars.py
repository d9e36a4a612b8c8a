"""Character tables for comparing Chinese names (pure data).

- TRADITIONAL: traditional → simplified forms of the characters common in names (surnames of the
  synthetic pools and the top few hundred given-name characters). A table, not a library: the
  maintained converter (OpenCC) is a compiled dependency, and names use a few hundred characters.
  zhconv and opencc-python-reimplemented were looked at: neither has had a release in years.
- LOOKALIKE: groups of characters that are confused when a form is copied by hand or read by OCR
  (形近字). Only confusions that occur in names or in the classic lists taught in school.
- FUZZY_INITIALS / FUZZY_FINALS: sounds many southern and south-western speakers do not tell apart
  (n/l, z/zh, c/ch, s/sh, f/h, an/ang, en/eng, in/ing): a name written down from speech may use a
  character of the neighbouring sound.
"""

_TRADITIONAL_PAIRS = """
張张 劉刘 陳陈 楊杨 黃黄 趙赵 吳吴 孫孙 馬马 羅罗 鄭郑 謝谢 許许 韓韩 鄧邓 馮冯 蕭萧 蔣蒋 葉叶
蘇苏 呂吕 盧卢 鍾钟 鐘钟 譚谭 陸陆 範范 韋韦 賈贾 鄒邹 閆闫 龍龙 賀贺 顧顾 龔龚 萬万 錢钱 嚴严
湯汤 喬乔 賴赖 顏颜 應应 樓楼 單单 藍蓝 蓋盖 區区 歐欧 陽阳 馬马 諸诸 東东 遲迟 長长 紀纪 聶聂
偉伟 強强 軍军 傑杰 濤涛 輝辉 鵬鹏 華华 飛飞 東东 國国 紅红 麗丽 艷艳 豔艳 潔洁 靜静 軒轩 鳴鸣
遠远 澤泽 誌志 曉晓 凱凯 樂乐 諾诺 銘铭 錦锦 騫骞 詩诗 夢梦 瑤瑶 語语 藝艺 悅悦 穎颖 書书 歡欢
剛刚 鋒锋 劍剑 衛卫 進进 躍跃 蘭兰 鳳凤 愛爱 銀银 寶宝 貴贵 財财 榮荣 壽寿 齊齐 瑩莹 鶯莺 雲云
傳传 儀仪 嬌娇 綺绮 韻韵 學学 習习 賢贤 義义 禮礼 順顺 慶庆 聖圣 誠诚 達达 運运 興兴 開开 權权
樹树 業业 廣广 豐丰 寧宁 靈灵 燦灿 煒炜 爍烁 熾炽 瑋玮 璣玑 璐璐 馨馨 燁烨 曄晔 暉晖 鈺钰
銳锐 鎮镇 鍵键 錫锡 鐵铁 鋼钢 釗钊 鈞钧 鋆鋆 圓圆 園园 團团 優优 倫伦 億亿 儒儒 側侧 峯峰 嶺岭
崗岗 嵐岚 島岛 筆笔 節节 範范 簡简 籃篮 綠绿 紫紫 絲丝 維维 網网 緒绪 綿绵 縣县 績绩 繼继 續续
纓缨 羅罗 聰聪 聲声 職职 肅肃 脈脉 興兴 舉举 舊旧 艱艰 莊庄 華华 萊莱 葦苇 蓮莲 蔭荫 薈荟 藍蓝
蘊蕴 處处 號号 蟬蝉 術术 衝冲 襄襄 見见 規规 視视 親亲 覺觉 觀观 訊讯 詠咏 誼谊 諭谕 謙谦 譽誉
讓让 豈岂 貞贞 財财 貴贵 賓宾 賜赐 賞赏 贊赞 趙赵 軒轩 輕轻 輝辉 轉转 辦办 農农 迎迎 這这 連连
週周 進进 遊游 運运 過过 道道 達达 遙遥 適适 遷迁 選选 還还 邊边 鄉乡 鄰邻 醫医 釋释 錄录 鏡镜
長长 門门 閃闪 閣阁 闊阔 陣阵 陰阴 陳陈 隊队 階阶 際际 隨随 險险 隱隐 雙双 雜杂 雞鸡 離离 難难
雲云 電电 霧雾 靂雳 韋韦 頁页 頂顶 項项 順顺 須须 預预 頌颂 領领 頻频 題题 顏颜 願愿 風风 飄飘
飯饭 餘余 館馆 駿骏 騰腾 驍骁 驕骄 驗验 體体 髮发 鬆松 魚鱼 魯鲁 鮮鲜 鳥鸟 鴻鸿 鵑鹃 鶴鹤 鷹鹰
麥麦 黨党 齊齐 齡龄 龍龙 龜龟 婭娅 嬋婵 嫻娴 嬡嫒 孫孙 寧宁 實实 寬宽 對对 導导 將将 專专 尋寻
屬属 嶽岳 師师 帥帅 幫帮 庫库 廳厅 彥彦 徵征 後后 從从 復复 徹彻 憶忆 懷怀 戰战 撫抚 擁拥 數数
斌斌 於于 昇升 曆历 書书 會会 朧胧 東东 條条 來来 極极 構构 標标 樣样 橋桥 機机 檢检 權权 歐欧
歲岁 歸归 殘残 毆殴 氣气 漢汉 潤润 濱滨 瀟潇 灣湾 無无 爾尔 犖荦 獅狮 獻献 玟玟 瑪玛 璽玺 環环
甦苏 產产 畫画 當当 發发 盞盏 盡尽 眾众 睿睿 碩硕 確确 禎祯 禮礼 禱祷 穩稳 窮穷 競竞 筠筠 築筑
"""

TRADITIONAL: dict[str, str] = {}
for _pair in _TRADITIONAL_PAIRS.split():
    if len(_pair) == 2 and _pair[0] != _pair[1]:
        TRADITIONAL[_pair[0]] = _pair[1]

_LOOKALIKE_GROUPS = """
己已巳 未末 士土 日曰 戍戌戊戎 王玉主 大太犬丈 人入八 刀力刁 千干于 田由甲申 白自百 木本术 天夭
午牛 失矢 晴睛 侯候 斤斥 免兔 冶治 贝见 乌鸟 今令 折拆 徒徙 壁璧 栗粟 拔拨 喝渴 沐沭 祺棋琪旗
婷停 颖颍 瑶遥谣 涵函 萱宣 晓晚 洁浩 倩债 彤形 怡恰 妍研 涛寿 琳淋 俊浚 峰锋 铭名 宸辰 晨晟
睿叡 珊姗 娟捐 丽励 玲铃 静净 燕雁 梅海 淼森 淇琪 博搏 航杭 豪毫 熙照 萌荫 茜茵 蕊芯
雯霁 霞暇 桐同 菁青 曦羲 嫣焉 芮苪 郑邓 陈阵 杨扬 汤杨 刘浏 孙逊 肖宵 于干 仝全 冉再 夏复
"""

LOOKALIKE: dict[str, frozenset[str]] = {}
for _group in _LOOKALIKE_GROUPS.split():
    chars = frozenset(_group)
    if len(chars) < 2:
        continue
    for _char in chars:
        LOOKALIKE[_char] = LOOKALIKE.get(_char, frozenset()) | (chars - {_char})

# Initials and finals that many speakers merge: each maps to the form both are compared in.
FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("uang", "uan"))


def simplified(text: str) -> str:
    """Map the traditional characters of the table to their simplified forms."""
    return "".join(TRADITIONAL.get(c, c) for c in text)


def lookalike(a: str, b: str) -> bool:
    """Whether two characters are a known pair of similar-looking characters."""
    return b in LOOKALIKE.get(a, ())


def fuzzy_syllable(syllable: str) -> str:
    """The syllable as someone merging n/l, z/zh, an/ang ... would hear it (for near-sound matching)."""
    for long, short in FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in FUZZY_FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable
