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
