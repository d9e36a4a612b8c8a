"""Sign-in lockout (登录锁定): how long a username stays locked and how many tries it has left.

allauth counts failed sign-ins per login key and per IP in the cache (the database cache table, so every
web process sees the same counts); ACCOUNT_RATE_LIMITS["login_failed"] sets the limits. These functions
only read those counts to tell the person what is going on.
"""

import math
import time

from django.core.cache import cache

_APP = "allauth.account"
_ACTION = "login_failed"


def login_key(username: str) -> str:
    """The lockout key: the username alone, so the host name used to reach the site does not matter."""
    return (username or "").strip().lower()


def _histories(request, key: str):
    # allauth keeps, per rate, a newest-first list of attempt timestamps under one cache key.
    from allauth.core.internal import ratelimit

    now = time.time()
    for rate in ratelimit.get_rates(app=_APP, action=_ACTION):
        if rate.per not in {"ip", "key"}:
            continue
        cache_key = ratelimit.get_cache_key(request, app=_APP, action=_ACTION, rate=rate, key=key)
        recent = sorted((t for t in cache.get(cache_key, []) if t > now - rate.duration), reverse=True)
        yield rate, recent, now


def lockout_minutes_left(request, *, username: str) -> int:
    """Whole minutes until another sign-in attempt for `username` from this client is allowed (0: now)."""
    wait = 0.0
    for rate, recent, now in _histories(request, login_key(username)):
        if len(recent) >= rate.amount:
            # The attempt that has to age out of the window is the amount-th newest one.
            wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait / 60) if wait > 0 else 0


def attempts_left(request, *, username: str) -> int | None:
    """Failed sign-ins `username` may still have before it is locked (None: no per-username limit)."""
    for rate, recent, _now in _histories(request, login_key(username)):
        if rate.per == "key":
            return max(rate.amount - len(recent), 0)
    return None


def lockout_window_minutes() -> int:
    from allauth.core.internal import ratelimit

    rates = [r for r in ratelimit.get_rates(app=_APP, action=_ACTION) if r.per == "key"]
    return math.ceil(rates[0].duration / 60) if rates else 0
