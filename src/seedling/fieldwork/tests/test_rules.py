"""The pure visit rules, as tables: frequencies by area, next-due dates, alerts, edit window, attachments."""

import datetime

import pytest

from seedling.fieldwork import rules
from seedling.fieldwork.choices import Alert

D = datetime.date
DAY = datetime.timedelta(days=1)

FREQ = {
    ("", "orphan"): 30,
    ("", "left_behind_both"): 90,
    ("", "migrant"): 180,
    ("", "high_risk"): 30,
    ("33", "left_behind_both"): 60,  # a province visits left-behind children every two months
    ("330723", "left_behind_both"): 45,  # one of its counties more often still
    ("33", "migrant"): None,  # and does not ask for visits of migrant children
}


@pytest.mark.parametrize(
    ("category", "area", "expected"),
    [
        ("orphan", "330723101201", 30),  # national default
        ("left_behind_both", "110112001001", 90),  # another province: national default
        ("left_behind_both", "331081100204", 60),  # the province's own figure
        ("left_behind_both", "330723101201", 45),  # the county's figure beats the province's
        ("migrant", "330723101201", None),  # blank at the province: no regular visits there
        ("migrant", "110112001001", 180),
        ("disabled", "330723101201", None),  # no row at all
    ],
)
def test_the_most_specific_area_prefix_wins(category, area, expected):
    assert rules.interval_for(category=category, area_code=area, frequencies=FREQ) == expected


JAN1 = D(2024, 1, 1)


@pytest.mark.parametrize(
    ("duties", "last", "follow_up", "high_risk_days", "expected"),
    [
        # no category that needs visits: no due date, whatever the visits
        ([], None, None, None, (None, None)),
        ([], D(2024, 3, 1), D(2024, 3, 10), 30, (None, None)),
        # left-behind (90 days), never visited: due 90 days after the category started
        ([(90, JAN1)], None, None, None, (90, D(2024, 3, 31))),
        # visited since: counted from the last visit
        ([(90, JAN1)], D(2024, 2, 1), None, None, (90, D(2024, 5, 1))),
        # orphan (30) and left-behind (90): the shorter interval wins
        ([(90, JAN1), (30, JAN1)], D(2024, 2, 1), None, None, (30, D(2024, 3, 2))),
        # a category given after the last visit starts its own clock
        ([(90, JAN1), (30, D(2024, 3, 1))], D(2024, 2, 1), None, None, (30, D(2024, 3, 31))),
        # a follow-up date set on the last visit brings the date forward
        ([(90, JAN1)], D(2024, 2, 1), D(2024, 2, 15), None, (90, D(2024, 2, 15))),
        # ... but not one later than the regular date
        ([(30, JAN1)], D(2024, 2, 1), D(2024, 4, 1), None, (30, D(2024, 3, 2))),
        # a risk found on the last visit: the high-risk interval applies
        ([(90, JAN1)], D(2024, 2, 1), None, 30, (30, D(2024, 3, 2))),
        # high risk without a visit in person yet: only the categories count
        ([(90, JAN1)], None, None, 30, (90, D(2024, 3, 31))),
    ],
)
def test_next_due(duties, last, follow_up, high_risk_days, expected):
    due = rules.next_due(
        duties=[rules.Duty(days, since) for days, since in duties],
        last_visit_on=last,
        follow_up_on=follow_up,
        high_risk_days=high_risk_days,
    )
    assert (due.interval_days, due.next_due_on) == expected


TODAY = D(2024, 6, 15)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (None, Alert.NONE),
        (TODAY + 30 * DAY, Alert.NONE),
        (TODAY + 15 * DAY, Alert.NONE),
        (TODAY + 14 * DAY, Alert.DUE),  # within the 14-day window
        (TODAY, Alert.DUE),  # the due date itself is not late
        (TODAY - DAY, Alert.OVERDUE),
        (TODAY - 7 * DAY, Alert.OVERDUE),  # still within the 7-day grace period
        (TODAY - 8 * DAY, Alert.ESCALATED),
    ],
)
def test_alert(due, expected):
    assert rules.alert_for(next_due_on=due, today=TODAY, due_soon_days=14, grace_days=7) == expected


def test_overdue_starts_the_day_after_the_due_date():
    assert rules.overdue_since(TODAY, Alert.OVERDUE) == TODAY + DAY
    assert rules.overdue_since(TODAY, Alert.DUE) is None


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], False),
        (["living_hardship", "dropped_out"], False),  # concerns, not a mandatory report
        (["living_alone"], True),  # a left-behind trigger
        (["violence_injury", "dropped_out"], True),  # a statutory situation
    ],
)
def test_high_risk_means_a_mandatory_report_situation(flags, expected):
    assert rules.is_high_risk(flags) is expected


NOW = datetime.datetime(2024, 6, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (datetime.timedelta(hours=1), rules.UPDATE_IN_PLACE),
        (datetime.timedelta(days=7), rules.UPDATE_IN_PLACE),
        (datetime.timedelta(days=7, seconds=1), rules.NEW_VERSION),
        (datetime.timedelta(days=30), rules.NEW_VERSION),
    ],
)
def test_edit_window(age, expected):
    assert rules.edit_mode(recorded_at=NOW - age, now=NOW, window_days=7) == expected


JPEG, PNG, PDF = b"\xff\xd8\xff\xe0" + b"\0" * 12, b"\x89PNG\r\n\x1a\n" + b"\0" * 8, b"%PDF-1.7\n" + b"\0" * 7
WEBP = b"RIFF\x10\0\0\0WEBPVP8 "
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "head", "content_type"),
    [
        ("家访.JPG", JPEG, "image/jpeg"),
        ("a.png", PNG, "image/png"),
        ("a.webp", WEBP, "image/webp"),
        ("协议.pdf", PDF, "application/pdf"),
    ],  # fmt: skip
)
def test_allowed_attachments(name, head, content_type):
    assert rules.attachment_type(name=name, head=head, size=1000, max_bytes=MB) == content_type


@pytest.mark.parametrize(
    ("name", "head", "size", "message"),
    [
        ("run.exe", b"MZ", 1000, "只能上传 JPG、PNG、WebP 图片或 PDF 文件"),
        ("notes.txt", b"hello", 1000, "只能上传"),
        ("noextension", JPEG, 1000, "只能上传"),
        ("photo.jpg", b"<html><script>", 1000, "内容与扩展名不符"),  # renamed: refused
        ("photo.jpg", PNG, 1000, "内容与扩展名不符"),
        ("big.jpg", JPEG, 2 * MB, "过大"),
        ("empty.pdf", b"", 0, "是空的"),
    ],
)
def test_refused_attachments_say_why(name, head, size, message):
    with pytest.raises(ValueError, match=message):
        rules.attachment_type(name=name, head=head, size=size, max_bytes=MB)
