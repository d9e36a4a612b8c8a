"""Helpers of the case tests: drive a case to a stage, make organizations."""

import datetime

from seedling.cases import services
from seedling.core import clock
from seedling.geo.models import Division
from seedling.testing import areas
from seedling.testing.scenario import make_user

RATINGS = {
    "safety_rating": 2,
    "health_rating": 1,
    "education_rating": 2,
    "family_rating": 3,
    "emotional_rating": 2,
}


def open_case(user, child, **fields):
    values = {"source_kind": "walk_in", "presenting_problem": "奶奶反映孩子放学后常独自在家"}
    values.update(fields)
    return services.case_open(user=user, child=child, fields=values)


def draft_plan(user, case, owner=None, due=None):
    """Assess, add a goal and an action: the plan is ready to go to the supervisor."""
    services.assessment_save(user=user, case=case, fields=dict(RATINGS, summary="家庭照护不足"))
    goal = services.goal_add(user=user, case=case, text="放学后有成人照看")
    services.action_add(
        user=user,
        case=case,
        fields={
            "text": "联系学校安排课后托管",
            "goal": goal,
            "owner": owner or user,
            "due_on": due or clock.today() + datetime.timedelta(days=10),
        },
    )
    case.refresh_from_db()
    return case


def active_case(users, child):
    """A case whose plan the supervisor approved: services may be recorded."""
    case = open_case(users.social_worker, child)
    draft_plan(users.social_worker, case)
    approval = services.plan_approval_request(user=users.social_worker, case=case)
    services.approval_decide(user=users.supervisor, approval=approval, decision="approved")
    case.refresh_from_db()
    return case


def make_org(user, name="县人民医院", services_=("medical", "counselling"), area=areas.COUNTY, members=()):
    return services.organization_save(
        user=user,
        fields={"name": name, "kind": "hospital", "services": list(services_), "phone": "0579-1234567"},
        areas=[Division.objects.get(code=area)],
        members=list(members),
    )


def new_user(username, role, area):
    return make_user(username, role, area, username)
