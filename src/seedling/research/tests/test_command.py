"""seedling research_export: the page's export for large files, same rules, same log."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from seedling.core.models import AccessLog
from seedling.testing import areas

from .helpers import PURPOSE, read_csv

pytestmark = pytest.mark.django_db


def export(**options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("research_export", stdout=out, stderr=err, **options)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_exports_to_a_csv_file_and_logs_it(tmp_path, users, dataset):
    target = tmp_path / "phq-a.csv"
    code, out, _err = export(
        instrument="phq-a",
        area=areas.COUNTY,
        format="csv",
        out=str(target),
        purpose=PURPOSE,
        user="researcher",
    )
    assert code == 0 and "9" in out
    header, rows, readme = read_csv(target.read_bytes())
    assert header[0] == "pseudonym" and len(rows) == 9 and {r["area_code"] for r in rows} == {"330723"}
    log = AccessLog.objects.get(action="export")
    assert log.detail["via"] == "command" and log.reason == PURPOSE and log.detail["rows"] == 9


def test_the_format_follows_the_file_name(tmp_path, users, dataset):
    target = tmp_path / "phq-a.xlsx"
    code, _out, _err = export(instrument="phq-a", out=str(target), purpose=PURPOSE, user="researcher")
    assert code == 0 and load_workbook(target, read_only=True).sheetnames == ["data", "README"]


def test_refusals_say_why_and_exit_with_1(tmp_path, users, dataset):
    target = tmp_path / "x.csv"
    code, _out, err = export(
        instrument="phq-a", area=areas.OTHER_COUNTY, out=str(target), purpose=PURPOSE, user="researcher"
    )
    assert code == 1 and "可能认出具体的儿童" in err and not target.exists()
    code, _out, err = export(instrument="phq-a", out=str(target), purpose="x", user="researcher")
    assert code == 1 and err.startswith("--purpose:")
    code, _out, err = export(instrument="phq-a", out=str(target), purpose=PURPOSE, user="county_officer")
    assert code == 1 and "没有使用研究数据的权限" in err
    code, _out, err = export(
        instrument="phq-a", out=str(target), purpose=PURPOSE, user="researcher", project="999"
    )
    assert code == 1 and "--project" in err
    with pytest.raises(CommandError):
        export(instrument="phq-a", out=str(target), purpose=PURPOSE, user="nobody")
    assert not AccessLog.objects.filter(action="export").exists()
