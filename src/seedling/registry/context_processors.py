from seedling.accounts.roles import Action


def navigation(request):
    """What the navigation shows: only the areas the user may act in, and the review count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = {
        "view": bool(user.area_prefixes(Action.VIEW)),
        "add": bool(user.area_prefixes(Action.ADD)),
        "review": bool(user.area_prefixes(Action.REVIEW)),
        "audit": bool(user.area_prefixes(Action.AUDIT)),
        "pending": 0,
    }
    if nav["review"]:
        from .selectors import proposal_queue

        nav["pending"] = proposal_queue(user=user).count()
    return {"perms_nav": nav}
