"""seedling import_children: dry run by default, --commit to import; problems as 第 N 行 [列]: 消息."""

import pytest
from django.core.management import call_command

from seedling.registry.models import Child

from .rosters import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def _run(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_children", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_dry_run_lists_problems_and_fails(users, roster):
    path = roster(
        csv_bytes(
            [
                good_row(0),
                good_row(1, 出生日期="2015-13-01", 身份证号="", 无身份证号原因="尚未办理", 性别="男"),
            ]
        )
    )
    code, out, err = _run(str(path), "--user", "director")
    assert code == 1
    assert "第 3 行 [出生日期（E）]: 错误：日期“2015-13-01”不是真实日期。" in out
    assert "2 行：1 个错误" in out and "%" in err  # the progress bar
    assert not Child.objects.exists()


def test_commit_imports_and_succeeds(users, roster, tmp_path):
    path = roster(csv_bytes([good_row(0), good_row(1)]))
    code, out, _err = _run(str(path), "--user", "director", "--no-progress")
    assert code == 0 and not Child.objects.exists()
    problems = tmp_path / "problems.csv"
    code, out, _err = _run(str(path), "--user", "director", "--commit", "--problems", str(problems))
    assert code == 0 and "已导入 2 名儿童。" in out
    assert Child.objects.count() == 2 and problems.exists()


def test_messages_in_english(users, roster):
    path = roster(csv_bytes([good_row(0, 性别="未知")]))
    code, out, _err = _run(str(path), "--user", "director", "--language", "en", "--no-progress")
    assert code == 1 and "性别" in out  # the header as written in the user's file
