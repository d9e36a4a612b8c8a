"""The child's file (一人一档): the child, family and carers, their situations, categories.

Every table here carries `child_id` (the distribution key) and is area-scoped through the child.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from seedling.core.crypto import decrypt_text
from seedling.core.models import TimeStamped, Versioned

from .choices import (
    ETHNIC_GROUPS,
    Capacity,
    Category,
    ChildStatus,
    DisabilityGrade,
    DisabilityType,
    Evidence,
    Grade,
    Health,
    Hukou,
    NoIdReason,
    Relation,
    Sex,
    Situation,
)


class IdentityNumberFields(models.Model):
    """Resident identity number (居民身份证号码), encrypted, with a blind index and a mask."""

    id_number_cipher = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_mask = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    id_number_last4 = models.CharField(max_length=4, blank=True, editable=False)

    id_context = "id_number"

    class Meta:
        abstract = True

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number_cipher)

    def reveal_id_number(self) -> str:
        """Plaintext; callers must have checked the reveal permission and written the access log."""
        if not self.id_number_cipher:
            return ""
        return decrypt_text(self.id_number_cipher, context=self.id_context)


class Child(IdentityNumberFields, Versioned, TimeStamped):
    scope_field = "area"
    id_context = "child.id_number"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=64)
    name_pinyin = models.CharField(_("拼音"), max_length=200, blank=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    no_id_reason = models.CharField(
        _("无身份证号原因"), max_length=20, choices=NoIdReason.choices, blank=True
    )
    ethnic_group = models.CharField(_("民族"), max_length=2, choices=ETHNIC_GROUPS, default="01")

    hukou_type = models.CharField(_("户籍性质"), max_length=5, choices=Hukou.choices)
    hukou_area = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("户籍地"),
        db_column="hukou_area_code",
        null=True,
        blank=True,
    )
    # Current village or residents' committee: the area that scopes the file.
    area = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("现居村（居）"),
        db_column="area_code",
    )
    address = models.CharField(_("详细住址"), max_length=200, blank=True)
    resident_since = models.DateField(_("在现居地居住起始日期"), null=True, blank=True)
    lives_alone = models.BooleanField(_("独自居住"), default=False)

    school = models.CharField(_("学校"), max_length=100, blank=True)
    grade = models.CharField(_("年级"), max_length=16, choices=Grade.choices, blank=True)
    in_full_time_study = models.BooleanField(_("全日制在校（中专、高中、本专科）"), default=False)

    health = models.CharField(_("健康状况"), max_length=10, choices=Health.choices, default=Health.HEALTHY)
    health_notes = models.CharField(_("健康说明"), max_length=300, blank=True)
    disability_type = models.CharField(
        _("残疾类别"), max_length=16, choices=DisabilityType.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), choices=DisabilityGrade.choices, null=True, blank=True
    )
    disability_difficulty = models.BooleanField(_("残疾导致康复、照料、护理或社会融入困难"), default=False)
    family_economic_difficulty = models.BooleanField(_("家庭经济困难（生活、就医、就学困难）"), default=False)
    economic_difficulty_basis = models.CharField(_("经济困难依据"), max_length=200, blank=True)
    guardianship_failure = models.BooleanField(
        _("监护缺失或不当（遭受虐待、遗弃、意外伤害、不法侵害）"), default=False
    )
    guardianship_failure_notes = models.CharField(_("监护缺失说明"), max_length=300, blank=True)

    status = models.CharField(
        _("档案状态"), max_length=10, choices=ChildStatus.choices, default=ChildStatus.ACTIVE, db_index=True
    )
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任儿童主任"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任儿童督导员"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the user went on despite a duplicate warning on entry (empty when there was none).
    duplicate_override_reason = models.CharField(max_length=300, blank=True, editable=False)
    # A merged file points at the file it was merged into (registry.linkage): status unchanged,
    # hidden from lists and search; unmerging clears both.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_files",
        verbose_name=_("已合并到"),
        editable=False,
    )
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["id_number_cipher"])

    class Meta:
        verbose_name = _("儿童")
        verbose_name_plural = _("儿童")
        indexes = [
            models.Index(fields=["area", "status"], name="child_area_status"),
            models.Index(fields=["birth_date", "area"], name="child_birth_area"),
            models.Index(fields=["id_number_last4", "area"], name="child_last4_area"),
        ]

    def __str__(self):
        return self.name

    @property
    def child(self):  # lets generic code treat the child like a row of its own file
        return self


class ChildScoped(models.Model):
    """A row of a child's file: scoped through the child, distributed by child_id."""

    scope_field = "child__area"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("儿童")
    )

    class Meta:
        abstract = True


class Person(ChildScoped, IdentityNumberFields, Versioned, TimeStamped):
    """A parent, guardian, delegated carer (委托照护人) or other family member of one child."""

    id_context = "person.id_number"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relation = models.CharField(_("与儿童关系"), max_length=24, choices=Relation.choices)
    name = models.CharField(_("姓名"), max_length=64)
    name_pinyin = models.CharField(_("拼音"), max_length=200, blank=True, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, help_text=_("11 位手机号，自动规范化"))
    is_guardian = models.BooleanField(_("监护人"), default=False)
    is_delegated_carer = models.BooleanField(_("委托照护人"), default=False)
    lives_with_child = models.BooleanField(_("与儿童同住"), default=False)
    health = models.CharField(_("健康状况"), max_length=10, choices=Health.choices, default=Health.HEALTHY)
    capacity = models.CharField(
        _("监护/照护能力"), max_length=8, choices=Capacity.choices, default=Capacity.FULL
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["id_number_cipher"])

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")

    def __str__(self):
        return f"{self.name}（{self.get_relation_display()}）"


class PersonSituation(ChildScoped, TimeStamped):
    """A person's situation over a period: working away since when and where, imprisoned, ..."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="situations")
    kind = models.CharField(_("状况"), max_length=24, choices=Situation.choices)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    place = models.CharField(_("地点（如务工地）"), max_length=100, blank=True)
    outside_county = models.BooleanField(_("在本县（市、区）以外"), default=True)
    evidence_type = models.CharField(_("证明材料"), max_length=24, choices=Evidence.choices, blank=True)
    evidence_ref = models.CharField(_("材料编号或说明"), max_length=200, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员状况")
        verbose_name_plural = _("家庭成员状况")
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.get_kind_display()


class CategoryAssignment(ChildScoped, TimeStamped):
    """A child holds a category from `started_on` until `ended_on`; rows are ended, never rewritten."""

    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("认定理由"), max_length=500)
    end_reason = models.CharField(_("终止理由"), max_length=500, blank=True)
    evidence = models.CharField(_("证明材料"), max_length=500, blank=True)
    rule_code = models.CharField(_("规则"), max_length=64, blank=True)
    facts = models.JSONField(_("依据事实"), default=dict, blank=True)
    reasons = models.JSONField(_("规则说明"), default=list, blank=True)
    proposal = models.ForeignKey(
        "CategoryProposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("类别认定")
        verbose_name_plural = _("类别认定")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "category"], condition=Q(ended_on__isnull=True), name="one_open_category"
            )
        ]

    def __str__(self):
        return self.get_category_display()

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CategoryProposal(ChildScoped, TimeStamped):
    """A proposed category change waiting in the review queue (待审核): assign or end a category."""

    class Kind(models.TextChoices):
        ASSIGN = "assign", _("认定")
        END = "end", _("终止")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已驳回")
        SUPERSEDED = "superseded", _("已失效")

    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    kind = models.CharField(_("变更"), max_length=8, choices=Kind.choices)
    rule_code = models.CharField(_("规则"), max_length=64)
    facts = models.JSONField(_("依据事实"), default=dict)
    reasons = models.JSONField(_("规则说明"), default=list)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("类别变更建议")
        verbose_name_plural = _("类别变更建议")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "category", "kind"],
                condition=Q(status="pending"),
                name="one_pending_proposal",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_category_display()}"


class SearchToken(ChildScoped):
    """Search keys of one child: name n-grams, pinyin (every reading), initials, guardians' names.

    Search narrows by an indexed (token, area) key before it ranks; see registry.search.
    """

    area_code = models.CharField(max_length=12)  # copy of child.area_id, so the index holds the scope
    token = models.CharField(max_length=64)

    class Meta:
        # child_id in the index makes the search query index-only (token → scope → child, no row reads).
        indexes = [
            models.Index(fields=["token", "area_code", "child"], name="searchtoken_token_area_child"),
            # A village's own tokens (director's search: area_code = village, token range).
            models.Index(fields=["area_code", "token", "child"], name="searchtoken_area_token_child"),
        ]

    def __str__(self):
        return self.token


# --- duplicate detection (registry.linkage) ------------------------------------------------------


class DuplicateCandidate(TimeStamped):
    """A pair of files that may be one child (疑似重复档案), with the score and its parts.

    `child` is the file with the lower id, `other` the higher: one row per pair, whoever found it.
    A "not a duplicate" decision stays on the row, so the pair is never proposed again.
    """

    scope_field = "child__area"  # the queue also requires `other` in scope: see linkage.selectors

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        NOT_DUPLICATE = "not_duplicate", _("不是同一儿童")
        MERGED = "merged", _("已合并")

    class Source(models.TextChoices):
        ENTRY = "entry", _("录入时")
        IMPORT = "import", _("导入时")
        BATCH = "batch", _("批量查重")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="duplicate_candidates")
    other = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("得分"))
    context = models.CharField(max_length=8, blank=True)  # "family" or "open": which weights applied
    parts = models.JSONField(_("得分构成"), default=list)  # [[feature, level, weight], ...]
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("疑似重复档案")
        verbose_name_plural = _("疑似重复档案")
        constraints = [
            models.UniqueConstraint(fields=["child", "other"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(child__lt=models.F("other")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "score"], name="duplicate_status_score")]

    def __str__(self):
        return f"{self.child_id}~{self.other_id} ({self.score:.1f})"


class MergeRecord(TimeStamped):
    """One merge of `merged` into `child` (the surviving file), with all it takes to undo it.

    `before` holds the survivor's and the merged file's fields as they were (identity numbers only as
    ciphertext and blind index), the rows moved between them, and rows the merge ended.
    """

    scope_field = "child__area"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merge_records")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    choices = models.JSONField(_("逐项选择"), default=dict)  # field -> "child" | "merged"
    before = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("档案合并记录")
        verbose_name_plural = _("档案合并记录")

    def __str__(self):
        return f"{self.merged_id} → {self.child_id}"
