"""Every write of the schools app (schools, classes, rosters and their import, links, activities)."""

from .roster_import import RosterFileError, read_table, roster_check, roster_commit, rows_for_session
from .schools import activity_record, class_save, school_save
from .students import student_deactivate, student_link, student_save, student_unlink

__all__ = [
    "RosterFileError",
    "activity_record",
    "class_save",
    "read_table",
    "roster_check",
    "roster_commit",
    "rows_for_session",
    "school_save",
    "student_deactivate",
    "student_link",
    "student_save",
    "student_unlink",
]
