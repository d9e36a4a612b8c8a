from django.core.management.base import BaseCommand

from seedling.protection.demo import POLICE_USERNAME, report_contacts_demo_ensure


class Command(BaseCommand):
    help = "Create the demo county's police and civil-affairs contacts and a police account (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--police-user", default=POLICE_USERNAME, help="username of the police account")

    def handle(self, *args, police_user, **options):
        result = report_contacts_demo_ensure(police_username=police_user)
        for contact in result["contacts"]:
            self.stdout.write(f"{contact.area_prefix} {contact.get_kind_display()} {contact.name}")
        self.stdout.write(f"police account: {result['police_user'].username}")
