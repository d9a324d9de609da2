"""`python manage.py load_units [--province CODE]`: load the administrative units (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.loading import LoadError, load_province


class Command(BaseCommand):
    help = (
        "Load the portal's province (PORTAL_PROVINCE_CODE) or, with --province CODE, another "
        "one: Điện Biên (11) with its history (2014–2019, 2020–2025, from 1 July 2025) from "
        "units/data, any other province's current communes from the vietnam-provinces "
        "package. Running it again creates and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            metavar="CODE",
            help="Official code of the province to load as it is today (e.g. 12 for Lai Châu); "
            "without it, PORTAL_PROVINCE_CODE; 11 loads Điện Biên with its history.",
        )

    def handle(self, *args, province=None, **options):
        if province is None:
            province = settings.PORTAL_PROVINCE_CODE
        try:
            report = load_province(province)
        except LoadError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "%(province)s: %(units)s units created, %(units_existing)s already there; "
                "%(changes)s changes created, %(changes_existing)s already there."
            )
            % {
                "province": report.province,
                "units": report.created["units"],
                "units_existing": report.existing["units"],
                "changes": report.created["changes"],
                "changes_existing": report.existing["changes"],
            }
        )
