import os
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from lib import province
from models_learning import tally
from units.models import Level, Membership, Role, Unit

# Each app's demo data, in dependency order; each `seed(stdout)` is idempotent.
DEMO_MODULES = ("units.demo", "models_learning.demo", "centers.demo", "funds.demo", "citizens.demo")
DEFAULT_DEMO_PASSWORD = "khuyenhoc-demo-2026"
# The demo is the real Điện Biên tree: it makes no sense in a portal set up for another province.
DEMO_PROVINCE_CODE = "11"

ACCOUNTS = [
    # username, full name, (unit level, unit name) or None for the superuser, roles
    ("demo-admin", "Quản trị Demo", None, ()),
    (
        "demo-province",
        "Lò Thị Hương",
        (Level.PROVINCE, "Tỉnh Điện Biên"),
        (Role.APPROVER, Role.MANAGER),
    ),
    ("demo-commune", "Quàng Văn Minh", (Level.COMMUNE, "Xã Mường Phăng"), (Role.OFFICER,)),
    ("demo-commune-2", "Nguyễn Thị Thu", (Level.COMMUNE, "Phường Mường Thanh"), (Role.OFFICER,)),
]


class Command(BaseCommand):
    help = "Load the Điện Biên demo data and the four demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database already has units."
        )
        parser.add_argument(
            "--force", action="store_true", help="Create the demo accounts even with DEBUG off."
        )
        parser.add_argument("--no-accounts", action="store_true", help="Load data only.")

    def handle(self, *args, if_empty, force, no_accounts, **options):
        code = province.current().code
        if code != DEMO_PROVINCE_CODE:
            message = _(
                "The demo data is Điện Biên's (province %(demo)s) and this portal serves "
                "province %(code)s: demo data not loaded. Load the province with "
                "`load_units --province %(code)s` and the criteria sets with `load_criteria_sets`."
            ) % {"demo": DEMO_PROVINCE_CODE, "code": code}
            if if_empty:  # `make run` goes on and serves the portal without demo data
                self.stdout.write(message)
                return
            raise CommandError(message)
        if if_empty and Unit.objects.exists():
            self.stdout.write(_("The database already has data: demo data not loaded again."))
            self._print_accounts()
            return
        with_accounts = not no_accounts
        if with_accounts and not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "Refusing to create demo accounts with DEBUG off: they have a known "
                    "password. Use --force if this really is a demo server, or --no-accounts."
                )
            )
        for index, name in enumerate(DEMO_MODULES):
            if find_spec(name) is None:
                continue
            import_module(name).seed(self.stdout)
            if index == 0 and with_accounts:
                # Accounts right after the units: the other apps' demo files are entered by them.
                self._create_accounts()
        # The demo walks each file through its steps: fold the deltas its writes left.
        tally.merge()
        if with_accounts:
            self._print_accounts()

    def _password(self):
        return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD

    @transaction.atomic
    def _create_accounts(self):
        User = get_user_model()
        for username, full_name, place, roles in ACCOUNTS:
            first, last = full_name.rsplit(" ", 1)
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_password(self._password())
                user.is_superuser = user.is_staff = place is None
                user.save()
            if place is None:
                continue
            level, name = place
            unit = Unit.objects.current().get(level=level, name=name)
            for role in roles:
                Membership.objects.get_or_create(user=user, unit=unit, role=role)

    def _print_accounts(self):
        User = get_user_model()
        if not User.objects.filter(username__startswith="demo-").exists():
            return
        source = "DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else _("the fixed demo value")
        self.stdout.write(
            self.style.SUCCESS(_("Demo accounts (password from %(source)s):") % {"source": source})
        )
        for username, _name, place, roles in ACCOUNTS:
            where = place[1] if place else _("administrator (superuser)")
            labels = ", ".join(str(Role(role).label) for role in roles)
            self.stdout.write(f"  {username:<15} {where} {labels}".rstrip())
        if not os.environ.get("DEMO_PASSWORD"):
            self.stdout.write(_("  password: %(password)s") % {"password": DEFAULT_DEMO_PASSWORD})
