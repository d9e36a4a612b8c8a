"""Responses for the research tests, submitted through assessments.services.response_submit."""

import csv
import datetime
import io
import textwrap

from django.utils import timezone
from pyxform.xls2json_backends import md_table_to_workbook

from seedling.assessments import services as assessments
from seedling.assessments.models import Questionnaire, QuestionnaireVersion, Response
from seedling.geo.models import Division

PURPOSE = "留守儿童抑郁情绪的区域差异研究"


def phq_a() -> QuestionnaireVersion:
    assessments.instruments_builtin_load()
    return Questionnaire.objects.get(instrument__code="phq-a").current_version()


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def respond(
    version,
    *,
    data: dict | None = None,
    level: int = 0,
    child=None,
    user=None,
    area_code: str | None = None,
    when: datetime.datetime | None = None,
    campaign=None,
) -> Response:
    """A PHQ-A response with every scored item at `level` (0 green, 1 yellow, 2 orange, 3 red)."""
    data = data if data is not None else {f"item_{i}": str(level) for i in range(1, 10)}
    response = assessments.response_submit(
        version=version, data=data, language="zh-hans", user=user, child=child
    )
    changes: dict = {"submitted_at": when or at(2024, 5, 10)}
    if child is None:
        changes["anonymous"] = True
    if area_code:
        changes["area"] = Division.objects.get(code=area_code)
    if campaign is not None:
        changes["campaign"] = campaign
    Response.objects.filter(pk=response.pk).update(**changes)
    response.refresh_from_db()
    return response


def form_import(markdown: str, filename: str = "wellbeing.xlsx") -> QuestionnaireVersion:
    """An XLSForm written as markdown tables (pyxform's test notation), imported through the service."""
    book = md_table_to_workbook(textwrap.dedent(markdown))
    buffer = io.BytesIO()
    book.save(buffer)
    return assessments.questionnaire_import(content=buffer.getvalue(), filename=filename)


def read_csv(content: bytes) -> tuple[list[str], list[dict], list[str]]:
    """(header, rows as dicts, README lines) of an exported CSV."""
    text = content.decode("utf-8-sig")
    lines = text.splitlines()
    readme = [line for line in lines if line.startswith("#")]
    table = [line for line in lines if not line.startswith("#")]
    reader = csv.reader(table)
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader], readme


def streamed(response) -> bytes:
    """The body of a file response (streamed or not)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
