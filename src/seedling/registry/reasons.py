"""Rule reasons as sentences in the user's language (类别认定理由): the page and the API show the same text."""

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from .choices import ChildStatus, DisabilityType, Evidence, Hukou, Relation, Situation
from .rules import Reason

REASON_TEXTS = {
    "age_under": N_("儿童 %(age)d 周岁，未满 %(limit)d 周岁"),
    "age_study": N_("儿童 %(age)d 周岁，已满 %(limit)d 周岁，仍在全日制学校就读，可延续认定"),
    "age_over": N_("儿童 %(age)d 周岁，已达到年龄上限 %(limit)d 周岁"),
    "parent_not_recorded": N_("未登记%(parent)s的信息"),
    "parent_deceased": N_("%(parent)s已死亡（%(evidence)s）"),
    "parent_missing": N_("%(parent)s经法院宣告失踪，查找不到（%(evidence)s）"),
    "parent_not_gone": N_("%(parent)s未登记死亡或经法院宣告失踪"),
    "situation_ended": N_("%(parent)s%(kind)s已于 %(until)s 结束"),
    "status_no_evidence": N_("%(parent)s%(kind)s，但未登记证明材料，不能作为认定依据"),
    "status_wrong_evidence": N_("%(parent)s%(kind)s，证明材料须为%(needed)s（现为%(evidence)s）"),
    "status_qualifies": N_("%(parent)s%(kind)s（%(evidence)s）"),
    "status_no_start": N_("%(parent)s%(kind)s，未填写开始日期，无法计算持续时间"),
    "status_long": N_(
        "%(parent)s%(kind)s，自 %(since)s 起已 %(months)d 个月（≥ %(min)d 个月；%(evidence)s）"
    ),
    "status_too_short": N_("%(parent)s%(kind)s，自 %(since)s 起仅 %(months)d 个月（不足 %(min)d 个月）"),
    "parent_no_status": N_("%(parent)s没有事实无人抚养儿童认定所列的情形"),
    "is_orphan": N_("父母均已死亡或查找不到，应认定为孤儿，不再认定为事实无人抚养儿童"),
    "economic_difficulty": N_("家庭经济困难（生活、就医、就学困难）"),
    "no_economic_difficulty": N_("未登记家庭经济困难"),
    "guardianship_failure": N_("监护缺失或监护不当"),
    "no_guardianship_failure": N_("未登记监护缺失或监护不当"),
    "disabled": N_("持残疾人证：%(type)s %(grade)d 级"),
    "not_disabled": N_("未登记残疾类别和等级（1–4 级）"),
    "disability_difficulty": N_("因残疾在康复、照料、护理或社会融入方面有困难"),
    "no_disability_difficulty": N_("未登记因残疾导致的康复、照料、护理或社会融入困难"),
    "hukou_rural": N_("农村户籍"),
    "hukou_not_rural": N_("户籍性质为%(hukou)s，不是农村户籍"),
    "away_in_county": N_("%(parent)s在本县（市、区）内务工，不属于外出务工"),
    "parent_away": N_("%(parent)s自 %(since)s 起在县外务工，已 %(months)d 个月（≥ %(min)d 个月）"),
    "parent_away_short": N_("%(parent)s自 %(since)s 起在县外务工，仅 %(months)d 个月（不足 %(min)d 个月）"),
    "parent_not_away": N_("%(parent)s未外出务工"),
    "parent_lacks_capacity": N_("%(parent)s无法履行监护职责（%(kind)s）"),
    "parent_capacity_none": N_("%(parent)s不具备监护能力"),
    "parent_has_capacity": N_("%(parent)s未登记无监护能力的情形"),
    "both_away": N_("父母均外出务工，属双亲留守，不属单亲留守"),
    "no_delegated_carer": N_("未登记委托照护人：留守儿童须有委托照护人"),
    "lives_alone": N_("儿童独自居住：未满 %(limit)d 周岁的儿童不得独自居住"),
    "hukou_area_missing": N_("未登记户籍地"),
    "hukou_area_imprecise": N_("户籍地只登记到 %(code)s，无法判断是否跨县"),
    "other_county": N_("户籍地所在县（%(hukou_county)s）与现居地所在县（%(county)s）不同"),
    "same_county": N_("户籍地与现居地在同一县（%(county)s）"),
    "resident_since_missing": N_("未填写在现居地居住起始日期"),
    "resident_long": N_("自 %(since)s 起在现居地居住，已 %(months)d 个月（≥ %(min)d 个月）"),
    "resident_short": N_("自 %(since)s 起在现居地居住，仅 %(months)d 个月（不足 %(min)d 个月）"),
    "file_inactive": N_("档案状态为“%(status)s”，不再认定类别"),
}

# Parameters holding a code are shown by the label of their code list, in the user's language.
_LABELS = {
    "parent": Relation,
    "kind": Situation,
    "evidence": Evidence,
    "hukou": Hukou,
    "type": DisabilityType,
    "status": ChildStatus,
}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value) if value else gettext("未填写")


def _display(params: Mapping) -> dict:
    shown = dict(params)
    for key, choices in _LABELS.items():
        if key in shown:
            shown[key] = _label(choices, shown[key])
    if "needed" in shown:
        shown["needed"] = gettext("或").join(_label(Evidence, v) for v in shown["needed"])
    return shown


def reason_text(reason: Reason | Mapping) -> str:
    """One reason as a sentence in the active language (the page and the API show the same text)."""
    if not isinstance(reason, Reason):
        reason = Reason.from_json(reason)
    msgid = REASON_TEXTS.get(reason.code)
    if msgid is None:
        return reason.code
    try:
        return gettext(msgid) % _display(reason.params)
    except (KeyError, TypeError, ValueError):
        return gettext(msgid)


def reasons_text(reasons, sep: str = "；") -> str:
    """Several reasons joined into one line (the stored `reason` of an assignment)."""
    return sep.join(reason_text(r) for r in reasons)
