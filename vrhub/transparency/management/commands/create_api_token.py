from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vrhub.accounts.models import User
from vrhub.transparency.models import ApiToken
from vrhub.transparency.services import api_token_issue


class Command(BaseCommand):
    help = "Issue a read-only API token for a user. The token is printed once and stored only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--name", required=True, help="What will use the token")
        parser.add_argument(
            "--days",
            type=int,
            default=ApiToken.DEFAULT_DAYS,
            help=f"How many days the token works for (1 to {ApiToken.MAX_DAYS}; default {ApiToken.DEFAULT_DAYS})",
        )

    def handle(self, *args, user: str, name: str, days: int, **options):
        owner = User.objects.filter(username=user, is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user {user!r}")
        try:
            token, key = api_token_issue(user=owner, name=name, days=days)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        self.stdout.write(key)
        self.stderr.write(f"Expires {token.expires_at:%Y-%m-%d %H:%M %Z}. Store it now: it is not shown again.")
