def test_every_element_id_on_a_case_page_is_unique(client, users, settings):
    import re
    from collections import Counter

    from django.urls import reverse

    from seedling.testing.factories import child_create

    from .helpers import draft_plan, open_case

    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    child = child_create(users.director, name="唯一")
    case = open_case(users.social_worker, child)
    draft_plan(users.social_worker, case)  # the plan stage shows the goal, action and request forms at once
    client.force_login(users.social_worker)
    body = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert not [i for i, n in ids.items() if n > 1]


def test_plan_items_outside_the_users_cases_are_404_and_unchanged(client, users, case):
    """Marking a plan action done or a goal achieved goes through the case scope: another county's
    director cannot touch them by guessing ids."""
    from django.urls import reverse

    from seedling.cases.models import PlanAction, PlanGoal
    from seedling.cases.tests.helpers import draft_plan

    draft_plan(users.social_worker, case)
    action, goal = PlanAction.objects.get(case=case), PlanGoal.objects.get(case=case)
    client.force_login(users.director_other_county)
    url = reverse("cases:action_status", kwargs={"pk": action.pk})
    assert client.post(url, {"status": "done", "version": action.version}).status_code == 404
    url = reverse("cases:goal_achieved", kwargs={"pk": goal.pk})
    assert client.post(url, {"achieved": "1", "version": goal.version}).status_code == 404
    action.refresh_from_db()
    goal.refresh_from_db()
    assert action.status != "done" and not goal.achieved

    client.force_login(users.social_worker)
    url = reverse("cases:goal_achieved", kwargs={"pk": goal.pk})
    assert client.post(url, {"achieved": "1", "version": goal.version}).status_code == 302
    goal.refresh_from_db()
    assert goal.achieved
