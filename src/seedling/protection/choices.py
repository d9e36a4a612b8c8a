"""Fixed lists of mandatory reporting (强制报告): the situations, sources, statuses and event kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    """The nine statutory situations (2020 opinion on mandatory reporting; Minors Protection Law Art. 11)
    and the left-behind triggers (国发〔2016〕13号): each obliges a report to the police at once."""

    GENITAL_INJURY = "genital_injury", _("生殖器官或隐私部位遭受或疑似遭受非正常损伤")
    GIRL_UNDER_14 = "girl_under_14", _("不满十四周岁的女性遭受或疑似遭受性侵害、怀孕或流产")
    GIRL_14_PLUS = "girl_14_plus", _("十四周岁以上的女性疑似因遭受性侵害而怀孕或流产")
    VIOLENCE_SIGNS = "violence_signs", _("身体多处损伤、严重营养不良或意识不清，疑似遭受暴力、虐待")
    ABNORMAL_INJURY = "abnormal_injury", _("因自杀、自残、中毒等非正常原因导致伤残或死亡")
    ABANDONED = "abandoned", _("被遗弃或长期处于无人照料状态")
    MISSING_TRAFFICKED = "missing_trafficked", _("来源不明、失踪或被拐卖、收买")
    ORGANISED_BEGGING = "organised_begging", _("被组织乞讨")
    OTHER_SERIOUS_HARM = "other_serious_harm", _("其他严重侵害身心健康或正面临不法侵害危险")
    LEFT_BEHIND_ALONE = "left_behind_alone", _("留守儿童独自居住")
    LEFT_BEHIND_MISSING = "left_behind_missing", _("留守儿童失踪")
    LEFT_BEHIND_CARER = "left_behind_carer", _("留守儿童的照护人无照护能力或疏于照护")


STATUTORY = [
    Situation.GENITAL_INJURY,
    Situation.GIRL_UNDER_14,
    Situation.GIRL_14_PLUS,
    Situation.VIOLENCE_SIGNS,
    Situation.ABNORMAL_INJURY,
    Situation.ABANDONED,
    Situation.MISSING_TRAFFICKED,
    Situation.ORGANISED_BEGGING,
    Situation.OTHER_SERIOUS_HARM,
]
LEFT_BEHIND = [Situation.LEFT_BEHIND_ALONE, Situation.LEFT_BEHIND_MISSING, Situation.LEFT_BEHIND_CARER]


def grouped_situations() -> list:
    """Situation choices grouped for a select: the statutory nine, then the left-behind triggers."""
    return [
        (_("法定强制报告情形"), [(s.value, s.label) for s in STATUTORY]),
        (_("农村留守儿童"), [(s.value, s.label) for s in LEFT_BEHIND]),
    ]


class Source(models.TextChoices):
    VISIT = "visit", _("走访发现")
    CASE = "case", _("个案记录")
    DIRECT = "direct", _("直接报告")


class Status(models.TextChoices):
    # Police and civil affairs acknowledge independently and in either order (see rules.status_of).
    REPORTED = "reported", _("已报告，待接报")
    POLICE_ACKNOWLEDGED = "police_acknowledged", _("公安已接报")
    CIVIL_AFFAIRS_ACKNOWLEDGED = "civil_affairs_acknowledged", _("民政已接报")
    ACKNOWLEDGED = "acknowledged", _("公安、民政均已接报")
    CLOSED = "closed", _("已办结")


class ContactKind(models.TextChoices):
    POLICE = "police", _("公安机关")
    CIVIL_AFFAIRS = "civil_affairs", _("民政部门")


class EventKind(models.TextChoices):
    REPORTED = "reported", _("报告")
    ROUTED = "routed", _("推送")
    POLICE_ACKNOWLEDGED = "police_acknowledged", _("公安接报")
    CIVIL_AFFAIRS_ACKNOWLEDGED = "civil_affairs_acknowledged", _("民政接报")
    ESCALATED = "escalated", _("超时升级")
    NOTE = "note", _("补充说明")
    CLOSED = "closed", _("办结")
