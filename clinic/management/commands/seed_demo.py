"""Create the demo clinic (idempotent) and print its logins."""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand

from clinic import demo
from clinic.models import Role, User

# Seeded in this order after the clinic's own data; each is optional until its app ships one.
APP_DEMOS = ("therapists.demo", "intake.demo", "booking.demo")
ROLE_ORDER: list[str] = [Role.CLINIC_ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.CLIENT]


class Command(BaseCommand):
    help = "Create or top up the demo clinic (safe to run repeatedly) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        demo.seed(stdout=self.stdout)
        for name in APP_DEMOS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                # Only a missing demo module is skipped; a broken import inside it is not.
                if error.name != name:
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.print_logins()

    def print_logins(self) -> None:
        users = User.objects.filter(email__endswith="@" + demo.DEMO_DOMAIN, is_active=True)
        rows = sorted(
            ((ROLE_ORDER.index(u.role), u.pk, u.get_role_display(), u.email) for u in users),
        )
        password = demo.demo_password()
        width = max([len(email) for *_rest, email in rows] + [len("E-mail")])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (every password: {password})"))
        self.stdout.write(f"  {'Role':<14} {'E-mail':<{width}}  Password")
        self.stdout.write(f"  {'-' * 14} {'-' * width}  {'-' * len(password)}")
        for _order, _pk, role, email in rows:
            self.stdout.write(f"  {role:<14} {email:<{width}}  {password}")
