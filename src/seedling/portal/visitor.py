"""What the portal remembers about a visitor, and where: nothing of it links a self-check to a child.

- Server-side session (the django_session table, expires after SESSION_COOKIE_AGE idle, rows removed
  daily by tasks.expired_sessions_clear): the chosen area, "who I am" (child with an age, or guardian),
  the id of the invitation a visitor signed in with, and the times of recent requests for a counsellor
  (the hourly limit) with the last one (for the confirmation page).
- A signed cookie in the visitor's own browser (CHECKS_COOKIE, httponly, a day at most, never stored
  on the server): the self-checks this browser made, so only it can open their results and a signed-in
  child sees their history. It is kept apart from the session on purpose: the session row names the
  child through the invitation, and a self-check in the same row would tie an "anonymous" result to a
  named child for anyone who reads the database or a backup.

Signing in or out forgets the self-checks, the last request and the public screening pages' keys
("screening:…"), so nothing done before is carried into the signed-in session or after it.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from seedling.core import clock
from seedling.geo.models import Division

from . import rules, selectors
from .models import PortalInvitation

AREA = "portal_area"
PROFILE = "portal_profile"
LEGACY_CHECKS = "portal_checks"  # where older sessions kept the self-checks: dropped when seen
INVITATION = "portal_invitation"
TALK_TIMES = "portal_talk_times"
TALK_LAST = "portal_talk_last"
SCREENING_PREFIX = "screening:"

CHECKS_COOKIE = "seedling_portal_checks"
CHECKS_SALT = "seedling.portal.checks"
CHECKS_MAX_AGE = 24 * 60 * 60  # seconds: a result opens in this browser for a day at most
CHECKS_KEPT = 20  # keeps the cookie well under the browsers' 4 KB
_PENDING = "_seedling_portal_checks"  # request attribute: the list to write back (None: delete)


class Visitor:
    """The portal's view of request.session and the self-check cookie (caches area and invitation)."""

    def __init__(self, request):
        self.request = request
        self.session = request.session
        self._area: Division | None | bool = False
        self._invitation: PortalInvitation | None | bool = False
        self.invitation_ended = False  # the code was revoked or expired since sign-in
        if LEGACY_CHECKS in self.session:
            del self.session[LEGACY_CHECKS]

    # --- area ---
    @property
    def area(self) -> Division | None:
        if self._area is False:
            code = self.session.get(AREA)
            self._area = selectors.area_choice_get(code=code) if isinstance(code, str) else None
        return self._area  # type: ignore[return-value]

    @property
    def area_code(self) -> str:
        return self.area.code if self.area else ""

    def area_set(self, area: Division) -> None:
        self.session[AREA] = area.code
        self._area = area

    # --- who I am ---
    @property
    def profile(self) -> dict:
        profile = self.session.get(PROFILE)
        if not isinstance(profile, dict) or profile.get("who") not in (rules.CHILD, rules.GUARDIAN):
            return {}
        return profile

    def profile_set(self, *, who: str, age: int | None) -> None:
        self.session[PROFILE] = {"who": who, "age": age if who == rules.CHILD else None}

    # --- self-checks of this browser (the signed cookie, never the session) ---
    def checks(self) -> list[dict]:
        """This browser's self-checks: [{"uuid", "code", "signed_in"}], oldest first."""
        signed_in = self.invitation is not None  # first: an ended sign-in signs out (and forgets all)
        rows = _checks_read(self.request)
        if not signed_in and any(r["signed_in"] for r in rows):
            # The sign-in ended without signing out (the session expired): its checks go with it.
            rows = [r for r in rows if not r["signed_in"]]
            _checks_write(self.request, rows)
        return rows

    def check_add(self, *, uuid: str, code: str) -> None:
        row = {"uuid": str(uuid), "code": code, "signed_in": self.invitation is not None}
        _checks_write(self.request, [*self.checks(), row][-CHECKS_KEPT:])

    def owns_check(self, uuid) -> bool:
        return any(r["uuid"] == str(uuid) for r in self.checks())

    def signed_in_checks(self) -> list[dict]:
        return [r for r in self.checks() if r["signed_in"]]

    # --- invitation sign-in ---
    @property
    def invitation(self) -> PortalInvitation | None:
        if self._invitation is False:
            pk = self.session.get(INVITATION)
            found = selectors.invitation_valid_get(pk=pk) if pk is not None else None
            if pk is not None and found is None:
                self.invitation_ended = True
                self.sign_out()
            self._invitation = found
        return self._invitation  # type: ignore[return-value]

    def sign_in(self, invitation: PortalInvitation) -> None:
        """Sign in with a code; what this browser did anonymously before is not carried along."""
        # A new session key at sign-in: a session id seen before (a shared phone) cannot ride along.
        self.session.cycle_key()
        self._forget_activity()
        self.session[INVITATION] = invitation.pk
        self._invitation = invitation
        if not self.area:
            county = selectors.area_choice_get(code=invitation.child.area_id[:6])
            if county is not None:
                self.area_set(county)

    def sign_out(self) -> None:
        """Forget the code, the profile and the self-checks (the next person on this phone sees none)."""
        self._forget_activity()
        for key in (INVITATION, PROFILE):
            self.session.pop(key, None)
        self._invitation = None
        self.session.cycle_key()

    def _forget_activity(self) -> None:
        # The self-checks, the last request and the screening pages' keys: none of them may sit in a
        # session next to an invitation id (signing in) or outlive the signed-in visit (signing out).
        _checks_write(self.request, [])
        self.session.pop(TALK_LAST, None)
        # .keys(): a session is not iterable itself (SessionBase has no __iter__).
        for key in [k for k in self.session.keys() if k.startswith(SCREENING_PREFIX)]:  # noqa: SIM118
            del self.session[key]

    # --- requests for a counsellor ---
    def talk_times(self) -> list[datetime.datetime]:
        hour_ago = clock.now() - datetime.timedelta(hours=1)
        times = [parse_datetime(t) for t in self.session.get(TALK_TIMES, []) if isinstance(t, str)]
        return [t for t in times if t is not None and t > hour_ago]

    def talk_add(self, *, request_pk: int, urgent: bool, has_contact: bool) -> None:
        self.session[TALK_TIMES] = [t.isoformat() for t in self.talk_times()] + [clock.now().isoformat()]
        self.session[TALK_LAST] = {"pk": request_pk, "urgent": urgent, "has_contact": has_contact}

    def talk_last(self) -> dict | None:
        last = self.session.get(TALK_LAST)
        return last if isinstance(last, dict) else None


# --- the self-check cookie ---


def _checks_read(request) -> list[dict]:
    if hasattr(request, _PENDING):
        return list(getattr(request, _PENDING) or [])
    value = request.COOKIES.get(CHECKS_COOKIE)
    if not value:
        return []
    try:
        rows = signing.loads(value, salt=CHECKS_SALT, max_age=CHECKS_MAX_AGE)
    except signing.BadSignature:  # tampered with, or older than a day (SignatureExpired)
        return []
    if not isinstance(rows, list):
        return []
    return [
        {"uuid": row[0], "code": row[1], "signed_in": bool(row[2])}
        for row in rows
        if isinstance(row, list) and len(row) == 3 and isinstance(row[0], str) and isinstance(row[1], str)
    ]


def _checks_write(request, rows: list[dict]) -> None:
    setattr(request, _PENDING, rows)


def checks_cookie(view):
    """Decorator for the portal's public views: writes the self-check cookie back when it changed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(request, _PENDING):
            rows = getattr(request, _PENDING)
            path = reverse("portal:home")
            if rows:
                value = signing.dumps(
                    [[r["uuid"], r["code"], int(r["signed_in"])] for r in rows],
                    salt=CHECKS_SALT,
                    compress=True,
                )
                response.set_cookie(
                    CHECKS_COOKIE,
                    value,
                    max_age=CHECKS_MAX_AGE,
                    path=path,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            elif CHECKS_COOKIE in request.COOKIES:
                response.delete_cookie(CHECKS_COOKIE, path=path, samesite="Lax")
        return response

    return wrapped
