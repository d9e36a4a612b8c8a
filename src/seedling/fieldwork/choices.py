"""Code lists of home visits (走访): how the visit was made, who was there, the risks found."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitMethod(models.TextChoices):
    HOME = "home", _("入户走访")
    SCHOOL = "school", _("到校走访")
    PHONE = "phone", _("电话或视频联系")
    OTHER = "other", _("其他当面走访")


# A phone or video call keeps contact but does not replace the regular visit in person (DOMAIN.md
# section 3: home visits); settings.SEEDLING_VISIT_PHONE_COUNTS = True makes it count.
REMOTE_METHODS = frozenset({VisitMethod.PHONE})


class Present(models.TextChoices):
    CHILD = "child", _("儿童本人")
    CARER = "carer", _("委托照护人")
    FATHER = "father", _("父亲（在场）")
    MOTHER = "mother", _("母亲（在场）")
    PARENTS_REMOTE = "parents_remote", _("父母电话或视频参与")
    FAMILY = "family", _("其他家庭成员")
    TEACHER = "teacher", _("老师")
    VILLAGE_CADRE = "village_cadre", _("村（居）干部")
    OTHER = "other", _("其他人员")


class RiskFlag(models.TextChoices):
    """Risks found on a visit. The first twelve oblige an immediate report to the police (强制报告)."""

    # The nine situations of the 2020 mandatory-reporting opinion (未成年人保护法 Art. 11, 117).
    PRIVATE_PARTS_INJURY = "private_parts_injury", _("生殖器官或隐私部位遭受或疑似遭受非正常损伤")
    GIRL_UNDER_14_ABUSE = "girl_under_14_abuse", _("不满十四周岁的女性遭受或疑似遭受性侵害、怀孕或流产")
    GIRL_PREGNANT_ABUSE = "girl_pregnant_abuse", _("十四周岁以上女性疑似因遭受性侵害怀孕或流产")
    VIOLENCE_INJURY = "violence_injury", _("多处损伤、严重营养不良或意识不清，疑似遭受暴力或虐待")
    ABNORMAL_INJURY = "abnormal_injury", _("因自杀、自残、中毒等非正常原因受伤或死亡")
    ABANDONED = "abandoned", _("疑似被遗弃或长期无人照料")
    MISSING_TRAFFICKED = "missing_trafficked", _("身份不明、疑似失踪、被拐卖或被收买")
    ORGANISED_BEGGING = "organised_begging", _("被组织乞讨")
    OTHER_SERIOUS_HARM = "other_serious_harm", _("其他严重侵害或正面临不法侵害危险")
    # Left-behind children (国发〔2016〕13号): to be reported at once as well.
    LIVING_ALONE = "living_alone", _("儿童独自居住")
    CHILD_MISSING = "child_missing", _("儿童失踪或下落不明")
    CARER_INCAPABLE = "carer_incapable", _("委托照护人无照护能力或疏于照护")
    # Concerns to follow up; not a mandatory report by themselves.
    DROPPED_OUT = "dropped_out", _("辍学或长期缺课")
    MENTAL_HEALTH = "mental_health", _("情绪或心理问题需关注")
    ILLNESS_UNTREATED = "illness_untreated", _("患病未得到及时治疗")
    LIVING_HARDSHIP = "living_hardship", _("家庭生活困难")


STATUTORY_FLAGS = (
    RiskFlag.PRIVATE_PARTS_INJURY,
    RiskFlag.GIRL_UNDER_14_ABUSE,
    RiskFlag.GIRL_PREGNANT_ABUSE,
    RiskFlag.VIOLENCE_INJURY,
    RiskFlag.ABNORMAL_INJURY,
    RiskFlag.ABANDONED,
    RiskFlag.MISSING_TRAFFICKED,
    RiskFlag.ORGANISED_BEGGING,
    RiskFlag.OTHER_SERIOUS_HARM,
)
LEFT_BEHIND_TRIGGERS = (RiskFlag.LIVING_ALONE, RiskFlag.CHILD_MISSING, RiskFlag.CARER_INCAPABLE)
MANDATORY_REPORT_FLAGS = frozenset(STATUTORY_FLAGS + LEFT_BEHIND_TRIGGERS)
CONCERN_FLAGS = tuple(f for f in RiskFlag if f not in MANDATORY_REPORT_FLAGS)


class Alert(models.TextChoices):
    """Where a child stands against its next visit date; each state keeps its own inbox tasks open."""

    NONE = "", _("无")
    DUE = "due", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    ESCALATED = "escalated", _("逾期超过宽限期")


# Inbox task kinds (key "<kind>:<child_id>") and the alert states that keep each one open.
TASK_DUE = "visit_due"
TASK_OVERDUE = "visit_overdue"
TASK_ESCALATION = "visit_escalation"
TASK_KINDS = (TASK_DUE, TASK_OVERDUE, TASK_ESCALATION)
TASKS_WANTED = {
    Alert.NONE: frozenset(),
    Alert.DUE: frozenset({TASK_DUE}),
    Alert.OVERDUE: frozenset({TASK_OVERDUE}),
    Alert.ESCALATED: frozenset({TASK_OVERDUE, TASK_ESCALATION}),
}

# Key of the visit frequency that applies while the latest visit found a mandatory-report risk
# (DOMAIN.md: "children in difficulty with high risk" are visited at least monthly).
HIGH_RISK = "high_risk"
