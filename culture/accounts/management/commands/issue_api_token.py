"""``manage.py issue_api_token USERNAME NAME``: print a new API token once (only its hash is kept)."""

from django.core.management.base import BaseCommand, CommandError

from culture.accounts.models import User
from culture.accounts.tokens import api_token_issue
from culture.core.errors import ServiceError


class Command(BaseCommand):
    help = "Issue an API bearer token for USERNAME; the token is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'provincial platform sync'")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        try:
            token = api_token_issue(actor=None, user=user, name=name)
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(token)
        self.stderr.write("Store this token now: it cannot be shown again.")
