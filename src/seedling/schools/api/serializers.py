"""Output serializers of the schools API (inputs live in the API classes that use them)."""

from rest_framework import serializers

from ..models import EducationActivity, School, SchoolClass, Student


class ScreeningCoverageOutput(serializers.Serializer):
    students = serializers.IntegerField()
    invited = serializers.IntegerField()
    completed = serializers.IntegerField()
    activities = serializers.IntegerField()
    completed_percent = serializers.IntegerField(allow_null=True)


class SchoolOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = School
        fields = [
            "id",
            "version",
            "name",
            "code",
            "kind",
            "kind_display",
            "area",
            "area_name",
            "address",
            "pilot",
            "pilot_since",
            "active",
        ]


class SchoolClassOutput(serializers.ModelSerializer):
    students_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = SchoolClass
        fields = ["id", "version", "school", "school_year", "grade", "name", "head_teacher", "students_count"]


class StudentOutput(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.uuid", read_only=True, allow_null=True)

    class Meta:
        model = Student
        fields = [
            "id",
            "version",
            "school_class",
            "name",
            "sex",
            "birth_date",
            "student_number",
            "id_number_mask",
            "active",
            "child",
        ]


class StudentLinkSuggestionOutput(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    sex = serializers.CharField()
    birth_date = serializers.DateField()
    area = serializers.CharField(source="area_id")
    area_name = serializers.CharField(source="area.name")
    match_by_id = serializers.BooleanField()


class EducationActivityOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    audience_display = serializers.CharField(source="get_audience_display", read_only=True)

    class Meta:
        model = EducationActivity
        fields = [
            "id",
            "school",
            "school_class",
            "held_on",
            "kind",
            "kind_display",
            "audience",
            "audience_display",
            "title",
            "participants",
            "notes",
        ]


class RosterProblemOutput(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class RosterImportOutput(serializers.Serializer):
    committed = serializers.BooleanField()
    rows = serializers.IntegerField()
    problems = RosterProblemOutput(many=True)
