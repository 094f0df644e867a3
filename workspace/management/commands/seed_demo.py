"""Create the demo clinic (idempotent) and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

import booking.demo
import intake.demo
import therapists.demo
import workspace.demo
from clinic import demo
from clinic.models import Role, User

# Each floor's demo after the floors below it (the workspace is the top floor, so it sees all).
APP_DEMOS = (therapists.demo, intake.demo, booking.demo, workspace.demo)
ROLE_ORDER: list[str] = [Role.CLINIC_ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.CLIENT]


class Command(BaseCommand):
    help = "Create or top up the demo clinic (safe to run repeatedly) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        demo.seed(stdout=self.stdout)
        for module in APP_DEMOS:
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
        self.print_second_factors()

    def print_second_factors(self) -> None:
        factors = demo.second_factors_seed()
        if not factors:
            return
        width = max(len(email) for email, _secret in factors)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Staff two-factor sign-in (TOTP secrets for an authenticator app)")
        )
        self.stdout.write(
            "  Add a secret to any authenticator app, or get the current code with "
            "`oathtool --totp -b SECRET`."
        )
        for email, secret in factors:
            self.stdout.write(f"  {email:<{width}}  {secret}")
