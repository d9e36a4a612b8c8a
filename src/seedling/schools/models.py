"""Schools (学校), their classes and students, and mental-health education activities.

Pilot schools of the mental-health programme (民发〔2023〕61号) screen their classes and run
education activities; a student is linked to the registered child where the child is registered, so
screening results reach the child's file. Everything here is scoped by the school's area.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.core.models import TimeStamped, Versioned


class School(Versioned, TimeStamped):
    scope_field = "area"

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("小学")
        JUNIOR = "junior", _("初级中学")
        NINE_YEAR = "nine_year", _("九年一贯制学校")
        SENIOR = "senior", _("高级中学")
        COMPLETE = "complete", _("完全中学")
        VOCATIONAL = "vocational", _("中等职业学校")
        SPECIAL = "special", _("特殊教育学校")

    name = models.CharField(_("学校名称"), max_length=100)
    # 学校标识码: 10 digits issued by the Ministry of Education; optional for schools not yet coded.
    code = models.CharField(_("学校标识码"), max_length=10, blank=True)
    kind = models.CharField(_("学校类型"), max_length=12, choices=Kind.choices)
    area = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在区域")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    pilot = models.BooleanField(_("心理健康试点学校"), default=False)
    pilot_since = models.DateField(_("试点开始日期"), null=True, blank=True)
    counsellors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="schools", verbose_name=_("心理辅导员")
    )
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["area_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="school_code_unique")
        ]

    def __str__(self):
        return self.name


class SchoolClass(Versioned, TimeStamped):
    """A class (班级) in one school year: grade 1–12 (primary 1–6, junior 7–9, senior 10–12)."""

    scope_field = "school__area"

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="classes", verbose_name=_("学校")
    )
    school_year = models.PositiveSmallIntegerField(_("学年（起始年份）"))
    grade = models.PositiveSmallIntegerField(_("年级"))
    name = models.CharField(_("班级名称"), max_length=30)
    head_teacher = models.CharField(_("班主任"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        ordering = ["school", "-school_year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "grade", "name"], name="class_unique"),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=12), name="class_grade_1_12"),
        ]

    def __str__(self):
        return f"{self.school} {self.name}"


class Student(Versioned, TimeStamped):
    """A student on a class roster; `child` links the registered child's file where there is one."""

    scope_field = "school_class__school__area"

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("班级")
    )
    child = models.ForeignKey(
        "registry.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name=_("关联儿童档案"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    student_number = models.CharField(_("学号"), max_length=30, blank=True)
    active = models.BooleanField(_("在读"), default=True)
    # An identity number given on the roster is kept only as the registry's blind index (to find the
    # registered child) and a mask: the school roster never holds the number itself.
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_mask = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["school_class", "student_number", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "child"],
                condition=models.Q(child__isnull=False),
                name="student_child_once",
            )
        ]

    def __str__(self):
        return self.name


class EducationActivity(TimeStamped):
    """A mental-health education activity (心理健康教育活动) a school held."""

    scope_field = "school__area"

    class Kind(models.TextChoices):
        LESSON = "lesson", _("心理健康课")
        LECTURE = "lecture", _("专题讲座")
        GROUP = "group", _("团体辅导")
        PARENTS = "parents", _("家长课堂")
        TEACHERS = "teachers", _("教师培训")
        EVENT = "event", _("主题活动")

    class Audience(models.TextChoices):
        STUDENTS = "students", _("学生")
        PARENTS = "parents", _("家长")
        TEACHERS = "teachers", _("教师")

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="activities", verbose_name=_("学校")
    )
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("班级")
    )
    held_on = models.DateField(_("日期"))
    kind = models.CharField(_("活动类型"), max_length=10, choices=Kind.choices)
    audience = models.CharField(_("对象"), max_length=10, choices=Audience.choices, default=Audience.STUDENTS)
    title = models.CharField(_("主题"), max_length=200)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    notes = models.TextField(_("记录"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("心理健康教育活动")
        verbose_name_plural = _("心理健康教育活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title
