"""`seedling token USERNAME [--rotate]`: print a user's REST API token (created if needed)."""

from django.core.management.base import BaseCommand, CommandError

from seedling.accounts.services import AccountError, api_token_issue


class Command(BaseCommand):
    help = "Print the REST API token of USERNAME, creating it if needed; --rotate replaces it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace the existing token with a new one."
        )

    def handle(self, *args, username, rotate, **options):
        try:
            key = api_token_issue(username=username, rotate=rotate)
        except AccountError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(key)
