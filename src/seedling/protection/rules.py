"""Who may do what with a mandatory report, and where it stands: pure functions over plain data.

Roles come in as the set of roles a user holds at an area containing the child's village
(`roles_over`), so every rule here is a table a test can read.
"""

import datetime
from collections.abc import Iterable

from seedling.accounts.roles import Role

from .choices import ContactKind, Status

# Civil affairs at county level and above: they act on a report (acknowledge, close) and, to protect
# and follow up with the reporter, are the only ones besides the reporter who learn who reported.
CIVIL_AFFAIRS_ROLES = frozenset(
    {Role.COUNTY_OFFICER, Role.CITY_OFFICER, Role.PROVINCE_OFFICER, Role.NATIONAL_OFFICER}
)

# Who sees the reports of children in their area: the village's child director and the township
# supervisor (they follow the child up), social workers (case intake starts from a report) and civil
# affairs. School counsellors and institution staff see only the reports they filed themselves.
READER_ROLES = CIVIL_AFFAIRS_ROLES | {Role.VILLAGE_DIRECTOR, Role.TOWNSHIP_SUPERVISOR, Role.SOCIAL_WORKER}


def roles_over(memberships: Iterable[tuple[str, str]], area_code: str) -> frozenset[str]:
    """Roles held at an area containing `area_code`; memberships as (role, area prefix, "" = national)."""
    return frozenset(role for role, prefix in memberships if area_code.startswith(prefix))


def may_read(roles: frozenset[str], *, is_reporter: bool) -> bool:
    """Whether someone in the child's area sees the whole report (police contacts: see selectors)."""
    return is_reporter or bool(roles & READER_ROLES)


def may_see_reporter(roles: frozenset[str], *, is_reporter: bool) -> bool:
    """The reporter's identity is confidential (2020 opinion, Art. 19): civil affairs and the reporter."""
    return is_reporter or bool(roles & CIVIL_AFFAIRS_ROLES)


def police_acknowledger(roles: frozenset[str], *, is_routed_police_contact: bool) -> str | None:
    """How this user may record the police's acknowledgement: "contact" (the police themselves),
    "on_behalf" (the county officer, with the police receipt number) or None."""
    if is_routed_police_contact:
        return "contact"
    if Role.COUNTY_OFFICER in roles:
        return "on_behalf"
    return None


def may_acknowledge_civil_affairs(roles: frozenset[str]) -> bool:
    return bool(roles & CIVIL_AFFAIRS_ROLES)


def may_close(roles: frozenset[str]) -> bool:
    return bool(roles & CIVIL_AFFAIRS_ROLES)


def status_of(*, police: bool, civil_affairs: bool, closed: bool) -> str:
    """Where a report stands. The two acknowledgements are independent receipts by two agencies, so
    either may come first: civil affairs need not wait for the police to start arranging care."""
    if closed:
        return Status.CLOSED
    if police and civil_affairs:
        return Status.ACKNOWLEDGED
    if police:
        return Status.POLICE_ACKNOWLEDGED
    if civil_affairs:
        return Status.CIVIL_AFFAIRS_ACKNOWLEDGED
    return Status.REPORTED


def missing_acknowledgements(*, police: bool, civil_affairs: bool) -> list[str]:
    """The contact kinds that have not acknowledged yet, police first."""
    missing = []
    if not police:
        missing.append(ContactKind.POLICE)
    if not civil_affairs:
        missing.append(ContactKind.CIVIL_AFFAIRS)
    return missing


def is_overdue(
    *, now: datetime.datetime, ack_due_at: datetime.datetime, police: bool, civil_affairs: bool, closed: bool
) -> bool:
    """Past the acknowledgement deadline with an acknowledgement still missing."""
    return not closed and now >= ack_due_at and not (police and civil_affairs)


def most_specific(prefixes: Iterable[str], area_code: str) -> str | None:
    """The longest of `prefixes` that is a prefix of `area_code` (None: none is)."""
    matching = [p for p in prefixes if area_code.startswith(p)]
    return max(matching, key=len) if matching else None
