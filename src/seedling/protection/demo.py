"""Demo contacts (演示接报单位): the police and civil affairs of the demo county, and a police account.

The demo data (registry demo_data) can call `report_contacts_demo_ensure()`; `seedling
report_contacts_demo` runs it alone. Idempotent: existing contacts and users are kept.
"""

from django.db import transaction

from seedling.accounts.demo import COUNTY, DEMO_PASSWORD, TOWNSHIP

from .choices import ContactKind
from .models import ReportContact

POLICE_USERNAME = "police"

CONTACTS = [
    # (area prefix, kind, name, phone) -- phone numbers are made up.
    (COUNTY, ContactKind.POLICE, "武义县公安局", "0579-8000 0110"),
    (TOWNSHIP, ContactKind.POLICE, "武义县公安局履坦派出所", "0579-8000 0111"),
    (COUNTY, ContactKind.CIVIL_AFFAIRS, "武义县民政局儿童福利科", "0579-8000 0120"),
]


@transaction.atomic
def report_contacts_demo_ensure(*, police_username: str = POLICE_USERNAME) -> dict:
    """Create the demo contacts and the township police station's account; returns what exists."""
    from seedling.accounts.models import User

    contacts = {}
    for prefix, kind, name, phone in CONTACTS:
        contact, _ = ReportContact.objects.get_or_create(
            area_prefix=prefix, kind=kind, name=name, defaults={"phone": phone}
        )
        contacts[(prefix, kind)] = contact
    police = User.objects.filter(username=police_username).first()
    if police is None:
        # No membership: a police account sees only the reports routed to its station.
        police = User.objects.create_user(
            username=police_username, password=DEMO_PASSWORD, full_name="履坦派出所 值班民警"
        )
    contacts[(TOWNSHIP, ContactKind.POLICE)].users.add(police)
    return {"contacts": list(contacts.values()), "police_user": police}
