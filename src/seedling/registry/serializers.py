"""How the API shows a child's file: output serializers shared by several endpoints, and field helpers.

Areas are division codes with their names beside them; choices are codes with a `*_display` label in
the request's language; identity numbers appear masked only (the full number needs reveal-id).
Input serializers live in the API classes that use them (registry.api); their field helpers live here.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seedling.core import clock
from seedling.geo.models import Division

from .models import CategoryAssignment, Child, Person, PersonSituation
from .validation import age_on


def display(field: str) -> serializers.CharField:
    """The label of a choice field in the request's language (the code stays in `field`)."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


def text_field(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def choice_field(choices, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, **kwargs)


def id_number_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("居民身份证号码（18 位）；只写不读，输出只显示掩码"),
    )


class VersionedInput(serializers.Serializer):
    """An edit carries the version it was read at, PATCH included: a stale one is refused (409)."""

    version = serializers.IntegerField(min_value=1, help_text=_("读取时的版本号；已被他人修改时返回 409"))

    def validate(self, attrs):
        if "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [self.fields["version"].error_messages["required"]]}
            )
        return attrs


class DivisionCodeField(serializers.SlugRelatedField):
    """An area given as its division code ("330723101201")."""

    default_error_messages = {
        "does_not_exist": _("区划代码 {value} 不存在。"),
        "invalid": _("区划代码无效。"),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Division.objects.all(), **kwargs)


class OpenCategoryOutput(serializers.ModelSerializer):
    category_display = display("category")

    class Meta:
        model = CategoryAssignment
        fields = ["category", "category_display", "started_on"]


class ChildFieldsMixin(serializers.Serializer):
    """Computed fields shared by the child's list and detail outputs."""

    age = serializers.SerializerMethodField(help_text=_("今天的周岁年龄"))
    area_name = serializers.CharField(source="area.name", read_only=True)
    categories = serializers.SerializerMethodField(help_text=_("当前有效的类别"))

    @extend_schema_field(OpenApiTypes.INT)
    def get_age(self, child: Child) -> int:
        return age_on(child.birth_date, clock.today())

    @extend_schema_field(OpenCategoryOutput(many=True))
    def get_categories(self, child: Child):
        # Lists prefetch open assignments into `open_categories`; a single file asks the database.
        rows = getattr(child, "open_categories", None)
        if rows is None:
            rows = child.categoryassignments.filter(ended_on__isnull=True).order_by("category")
        return OpenCategoryOutput(rows, many=True).data


class ChildListOutput(ChildFieldsMixin, serializers.ModelSerializer):
    sex_display = display("sex")
    status_display = display("status")

    class Meta:
        model = Child
        fields = [
            "uuid",
            "name",
            "sex",
            "sex_display",
            "birth_date",
            "age",
            "id_number_mask",
            "area",
            "area_name",
            "status",
            "status_display",
            "categories",
            "version",
        ]


class ChildOutput(ChildFieldsMixin, serializers.ModelSerializer):
    has_id_number = serializers.BooleanField(read_only=True)
    hukou_area_name = serializers.CharField(source="hukou_area.name", read_only=True, allow_null=True)
    director = serializers.SlugRelatedField(slug_field="username", read_only=True)
    director_name = serializers.CharField(source="director.full_name", read_only=True, allow_null=True)
    supervisor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.full_name", read_only=True, allow_null=True)
    sex_display = display("sex")
    no_id_reason_display = display("no_id_reason")
    ethnic_group_display = display("ethnic_group")
    hukou_type_display = display("hukou_type")
    grade_display = display("grade")
    health_display = display("health")
    disability_type_display = display("disability_type")
    disability_grade_display = display("disability_grade")
    status_display = display("status")

    class Meta:
        model = Child
        fields = [
            "uuid",
            "name",
            "name_pinyin",
            "sex",
            "sex_display",
            "birth_date",
            "age",
            "id_number_mask",
            "has_id_number",
            "no_id_reason",
            "no_id_reason_display",
            "ethnic_group",
            "ethnic_group_display",
            "hukou_type",
            "hukou_type_display",
            "hukou_area",
            "hukou_area_name",
            "area",
            "area_name",
            "address",
            "resident_since",
            "lives_alone",
            "school",
            "grade",
            "grade_display",
            "in_full_time_study",
            "health",
            "health_display",
            "health_notes",
            "disability_type",
            "disability_type_display",
            "disability_grade",
            "disability_grade_display",
            "disability_difficulty",
            "family_economic_difficulty",
            "economic_difficulty_basis",
            "guardianship_failure",
            "guardianship_failure_notes",
            "status",
            "status_display",
            "status_changed_on",
            "director",
            "director_name",
            "supervisor",
            "supervisor_name",
            "categories",
            "version",
            "created_at",
            "updated_at",
        ]


class DuplicateCandidateOutput(serializers.ModelSerializer):
    """A possible duplicate shown on entry: enough to recognise the child, nothing more."""

    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Child
        fields = ["uuid", "name", "birth_date", "area", "area_name"]


class SituationOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uuid", read_only=True)
    kind_display = display("kind")
    evidence_type_display = display("evidence_type")
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = PersonSituation
        fields = [
            "id",
            "person",
            "kind",
            "kind_display",
            "started_on",
            "ended_on",
            "is_current",
            "place",
            "outside_county",
            "evidence_type",
            "evidence_type_display",
            "evidence_ref",
            "notes",
            "created_at",
        ]

    def get_is_current(self, situation: PersonSituation) -> bool:
        return situation.ended_on is None


class PersonOutput(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.uuid", read_only=True)
    has_id_number = serializers.BooleanField(read_only=True)
    relation_display = display("relation")
    health_display = display("health")
    capacity_display = display("capacity")
    situations = SituationOutput(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "uuid",
            "child",
            "relation",
            "relation_display",
            "name",
            "name_pinyin",
            "id_number_mask",
            "has_id_number",
            "phone",
            "is_guardian",
            "is_delegated_carer",
            "lives_with_child",
            "health",
            "health_display",
            "capacity",
            "capacity_display",
            "notes",
            "situations",
            "version",
            "created_at",
            "updated_at",
        ]


class AssignmentOutput(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.uuid", read_only=True)
    category_display = display("category")
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = CategoryAssignment
        fields = [
            "id",
            "child",
            "category",
            "category_display",
            "started_on",
            "ended_on",
            "is_open",
            "reason",
            "end_reason",
            "evidence",
            "rule_code",
            "facts",
            "reasons",
        ]
