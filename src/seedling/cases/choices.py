"""Choices of the case workflow, approvals, transfers, organizations and referrals."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("接案")
    ASSESSMENT = "assessment", _("评估")
    PLAN = "plan", _("制定计划")
    SERVICES = "services", _("提供服务")
    REVIEW = "review", _("回顾")
    CLOSED = "closed", _("已结案")


class IntakeSource(models.TextChoices):
    REPORT = "report", _("强制报告")
    REFERRAL = "referral", _("转介")
    VISIT = "visit", _("走访发现")
    WALK_IN = "walk_in", _("主动求助")


class Domain(models.TextChoices):
    SAFETY = "safety", _("安全")
    HEALTH = "health", _("健康")
    EDUCATION = "education", _("教育")
    FAMILY = "family", _("家庭")
    EMOTIONAL = "emotional", _("情绪")


class Rating(models.IntegerChoices):
    GOOD = 1, _("良好")
    CONCERN = 2, _("需关注")
    SERIOUS = 3, _("严重")
    CRITICAL = 4, _("危急")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")
    URGENT = "urgent", _("紧急")


class PlanStatus(models.TextChoices):
    NONE = "none", _("未制定")
    DRAFT = "draft", _("草拟中")
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class ServiceKind(models.TextChoices):
    CASE_INTERVIEW = "case_interview", _("个案面谈")
    GROUP_ACTIVITY = "group_activity", _("小组活动")
    COMMUNITY_ACTIVITY = "community_activity", _("社区活动")
    COUNSELLING = "counselling", _("心理辅导")
    MATERIAL_AID = "material_aid", _("物资援助")
    MEDICAL = "medical", _("医疗救助")
    EDUCATION_SUPPORT = "education_support", _("教育支持")
    LEGAL_AID = "legal_aid", _("法律援助")


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", _("继续服务")
    REVISE = "revise", _("修订计划")
    CLOSE = "close", _("建议结案")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("服务目标已达成")
    MOVED_AWAY = "moved_away", _("儿童迁出服务区域")
    ADULTHOOD = "adulthood", _("儿童已成年")
    DECLINED = "declined", _("家庭拒绝继续服务")
    REFERRED = "referred", _("已转介其他机构跟进")
    DECEASED = "deceased", _("儿童死亡")
    OTHER = "other", _("其他")


class ApprovalKind(models.TextChoices):
    PLAN = "plan", _("服务计划")
    CLOSURE = "closure", _("结案")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("已拒绝")
    CANCELLED = "cancelled", _("已撤回")


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    SOCIAL = "social", _("社会组织")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    WELFARE = "welfare", _("儿童福利机构")
    OTHER = "other", _("其他")


class OrganizationService(models.TextChoices):
    COUNSELLING = "counselling", _("心理辅导")
    MATERIAL_AID = "material_aid", _("物资援助")
    MEDICAL = "medical", _("医疗救助")
    EDUCATION_SUPPORT = "education_support", _("教育支持")
    LEGAL_AID = "legal_aid", _("法律援助")
    REHABILITATION = "rehabilitation", _("康复")
    SHELTER = "shelter", _("临时庇护")
    SOCIAL_WORK = "social_work", _("社会工作服务")
    OTHER = "other", _("其他")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("已发送")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("已拒绝")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤回")


class SharedPart(models.TextChoices):
    """What a referral shares beyond the basic facts (name, sex, age, village)."""

    GUARDIAN_CONTACT = "guardian_contact", _("监护人联系方式")
    HEALTH = "health", _("健康状况")
    ASSESSMENT = "assessment", _("评估摘要")
