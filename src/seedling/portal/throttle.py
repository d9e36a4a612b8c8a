"""Limits against guessing codes and flooding counsellors, kept in the cache (no account to lock).

Failed sign-ins count per browser session and per client address: a session that keeps guessing is
stopped quickly; an address gets a much larger allowance, because a whole school or village sits
behind one shared address and one prankster there must not lock everybody out.

Requests for a counsellor count per session (in the session, see visitor.py), per client address and
per area (here): a client that drops its cookie still meets the address limit, and many addresses
still meet the area's cap. What happens over a limit is decided in views/talk.py.
"""

from django.conf import settings
from django.core.cache import cache

from seedling.core.request_context import current_request

HOUR = 60 * 60


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def signin_window_minutes() -> int:
    return _setting("SEEDLING_PORTAL_SIGNIN_LOCKOUT_MINUTES", 15)


def _limits() -> tuple[int, int]:
    return (
        _setting("SEEDLING_PORTAL_SIGNIN_MAX_FAILURES", 5),
        _setting("SEEDLING_PORTAL_SIGNIN_IP_MAX_FAILURES", 200),
    )


def _keys(session_key: str, ip: str | None) -> tuple[str, str | None]:
    return f"portal:signin:s:{session_key}", (f"portal:signin:ip:{ip}" if ip else None)


def _bump(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def signin_blocked(*, session_key: str, ip: str | None) -> bool:
    """Whether this session or this address has failed too often in the current window."""
    per_session, per_ip = _limits()
    session_counter, ip_counter = _keys(session_key, ip)
    if cache.get(session_counter, 0) >= per_session:
        return True
    return ip_counter is not None and cache.get(ip_counter, 0) >= per_ip


def signin_failed(*, session_key: str, ip: str | None) -> None:
    """Count one failed sign-in for the session and the address (the window starts at the first)."""
    seconds = signin_window_minutes() * 60
    session_counter, ip_counter = _keys(session_key, ip)
    _bump(session_counter, seconds)
    if ip_counter is not None:
        _bump(ip_counter, seconds)


def help_requests_per_hour() -> int:
    """How many requests for a counsellor one session may send in an hour."""
    return _setting("SEEDLING_PORTAL_HELP_REQUESTS_PER_HOUR", 3)


def help_requests_per_address_hour() -> int:
    """How many requests for a counsellor one client address may send in an hour (all sessions)."""
    return _setting("SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR", 20)


def help_requests_per_area_hour() -> int:
    """How many requests for a counsellor the portal passes on to one area's counsellors in an hour."""
    return _setting("SEEDLING_PORTAL_HELP_REQUESTS_PER_AREA_HOUR", 60)


def client_ip(request) -> str | None:
    """The client's address as the request-context middleware found it (trusting the proxy header
    only where settings say so), else REMOTE_ADDR."""
    info = current_request.get()
    return (info.ip if info else None) or request.META.get("REMOTE_ADDR") or None


def _help_keys(ip: str | None, area_code: str) -> tuple[str | None, str | None]:
    return (
        f"portal:talk:ip:{ip}" if ip else None,
        f"portal:talk:area:{area_code}" if area_code else None,
    )


ADDRESS, AREA = "address", "area"


def help_requests_over(*, ip: str | None, area_code: str) -> str:
    """Which hourly limit is used up: ADDRESS, AREA or "" (none). The address is checked first."""
    ip_counter, area_counter = _help_keys(ip, area_code)
    if ip_counter is not None and cache.get(ip_counter, 0) >= help_requests_per_address_hour():
        return ADDRESS
    if area_counter is not None and cache.get(area_counter, 0) >= help_requests_per_area_hour():
        return AREA
    return ""


def help_request_counted(*, ip: str | None, area_code: str) -> None:
    """Count one request sent for the address and the area (the window starts at the first)."""
    for counter in _help_keys(ip, area_code):
        if counter is not None:
            _bump(counter, HOUR)
