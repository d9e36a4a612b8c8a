"""Roles (角色), the level each sits at, and the actions each may take on children's data.

Least privilege: researchers see de-identified data only (no child file at all); system
administrators manage users and read the access log but do not open children's files.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_DIRECTOR = "village_director", _("村（居）儿童主任")
    TOWNSHIP_SUPERVISOR = "township_supervisor", _("乡镇（街道）儿童督导员")
    COUNTY_OFFICER = "county_officer", _("县级民政干部")
    CITY_OFFICER = "city_officer", _("市级民政干部")
    PROVINCE_OFFICER = "province_officer", _("省级民政干部")
    NATIONAL_OFFICER = "national_officer", _("国家级民政干部")
    INSTITUTION_WORKER = "institution_worker", _("儿童福利机构工作人员")
    SOCIAL_WORKER = "social_worker", _("社会工作者")
    SCHOOL_COUNSELLOR = "school_counsellor", _("学校心理辅导员")
    RESEARCHER = "researcher", _("研究人员（仅去标识数据）")
    SYSADMIN = "sysadmin", _("系统管理员")


class Action:
    VIEW = "view"  # open a child's file, list and search
    ADD = "add"  # register a child
    CHANGE = "change"  # edit a child's file
    REVEAL = "reveal"  # show a full identity number, with a reason
    EXPORT = "export"
    REVIEW = "review"  # confirm or reject category proposals
    AUDIT = "audit"  # read the access log of the area
    MANAGE_USERS = "manage_users"
    RESEARCH = "research"  # de-identified data only
    SCREEN = "screen"  # schools, classes and screening campaigns of the area; results of identified screening
    COUNSEL = "counsel"  # take requests for a counsellor and write session notes (counsellor pool members)
    CONTENT = "content"  # the portal's help articles and hotlines (no child data)


A = Action
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.VILLAGE_DIRECTOR: frozenset({A.VIEW, A.ADD, A.CHANGE, A.REVEAL, A.EXPORT, A.REVIEW}),
    Role.TOWNSHIP_SUPERVISOR: frozenset({A.VIEW, A.ADD, A.CHANGE, A.REVEAL, A.EXPORT, A.REVIEW}),
    Role.COUNTY_OFFICER: frozenset(
        {A.VIEW, A.ADD, A.CHANGE, A.REVEAL, A.EXPORT, A.REVIEW, A.AUDIT, A.SCREEN, A.CONTENT}
    ),
    Role.CITY_OFFICER: frozenset({A.VIEW, A.EXPORT, A.AUDIT, A.CONTENT}),
    Role.PROVINCE_OFFICER: frozenset({A.VIEW, A.EXPORT, A.AUDIT, A.CONTENT}),
    Role.NATIONAL_OFFICER: frozenset({A.VIEW, A.EXPORT, A.AUDIT, A.CONTENT}),
    Role.INSTITUTION_WORKER: frozenset({A.VIEW, A.CHANGE}),
    Role.SOCIAL_WORKER: frozenset({A.VIEW, A.COUNSEL}),
    Role.SCHOOL_COUNSELLOR: frozenset({A.VIEW, A.SCREEN, A.COUNSEL}),
    Role.RESEARCHER: frozenset({A.RESEARCH}),
    Role.SYSADMIN: frozenset({A.AUDIT, A.MANAGE_USERS, A.CONTENT}),
}

# The division level a membership of each role must be placed at (None: any level).
ROLE_LEVEL: dict[str, str | None] = {
    Role.VILLAGE_DIRECTOR: "village",
    Role.TOWNSHIP_SUPERVISOR: "township",
    Role.COUNTY_OFFICER: "county",
    Role.CITY_OFFICER: "city",
    Role.PROVINCE_OFFICER: "province",
    Role.NATIONAL_OFFICER: "national",
    Role.INSTITUTION_WORKER: None,
    Role.SOCIAL_WORKER: None,
    Role.SCHOOL_COUNSELLOR: None,
    Role.RESEARCHER: None,
    Role.SYSADMIN: None,
}

LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3, "township": 4, "village": 5}
