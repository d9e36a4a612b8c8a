from django.core.cache import caches

from seedling.accounts.roles import Action

# The review badge costs a join over the province's pending proposals: counted once a minute per user
# and process, not on every page (BENCHMARKS.md, the file page).
PENDING_SECONDS = 60


def pending_count(user) -> int:
    from .selectors import proposal_queue

    cache = caches["local"]
    key = f"nav-pending:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = proposal_queue(user=user).count()
        cache.set(key, count, PENDING_SECONDS)
    return count


def pending_count_forget(user) -> None:
    """After the user decided proposals, their own badge is recounted on the next page."""
    caches["local"].delete(f"nav-pending:{user.pk}")


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
        "screen": bool(user.area_prefixes(Action.SCREEN)),
        "counsel": bool(user.area_prefixes(Action.COUNSEL)),
        "content": bool(user.area_prefixes(Action.CONTENT)),
        "research": bool(user.area_prefixes(Action.RESEARCH)),
        "pending": 0,
    }
    if nav["review"]:
        nav["pending"] = pending_count(user)
    return {"perms_nav": nav}
