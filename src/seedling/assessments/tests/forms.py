"""Small hand-written XLSForms for tests, written as markdown tables (pyxform's own test notation)."""

import io
import textwrap

from pyxform.xls2json_backends import md_table_to_workbook

from seedling.assessments import services


def xlsx_bytes(markdown: str) -> bytes:
    """The .xlsx file of a form written as markdown tables (| survey | ... | choices | ...)."""
    workbook = md_table_to_workbook(textwrap.dedent(markdown))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_import(markdown: str, filename: str = "form.xlsx", **kwargs):
    """Import a markdown-written form through the real service; returns the QuestionnaireVersion."""
    return services.questionnaire_import(content=xlsx_bytes(markdown), filename=filename, **kwargs)
