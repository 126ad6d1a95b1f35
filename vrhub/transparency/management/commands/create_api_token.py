from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.accounts.models import User
from vrhub.transparency.services import api_token_issue


class Command(BaseCommand):
    help = "Issue a read-only API token for a user. The token is printed once and stored only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--name", required=True, help="What will use the token")

    def handle(self, *args, user: str, name: str, **options):
        owner = User.objects.filter(username=user, is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user {user!r}")
        try:
            _token, key = api_token_issue(user=owner, name=name)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        self.stdout.write(key)
