"""Synthetic data for the README's measurements; scratch databases only. Two sets:

- `python manage.py generate_bench_data --recognitions N`: recognitions over the province's
  units, for the public search (khuyenhoc/management/bench_recognitions.py);
- `python manage.py generate_bench_data --registrations N [--provinces P --communes C
  --years Y]`: provinces of invented communes with registrations at every step of the cycle,
  members' figures and rated centres, for the yearly report and the dashboard at province and
  country scale (khuyenhoc/management/bench_scale.py).
"""

from django.core.management.base import BaseCommand

from khuyenhoc.management.bench_recognitions import FIRST_YEAR, RecognitionData
from khuyenhoc.management.bench_scale import ScaleData


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Add N synthetic recognitions (invented Vietnamese names over the communes and years) "
        "for measuring the public search, or N registrations over invented provinces with "
        "their figures and centres for the yearly report at scale. Scratch databases only."
    )

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--recognitions", type=int, metavar="N")
        what.add_argument(
            "--registrations",
            type=int,
            metavar="N",
            help="Province and country scale: e.g. 1000000 over 3 provinces and 3,300 communes.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--batch-size", type=int, help="Default: 5000 (10000 with --registrations)."
        )
        scale = parser.add_argument_group("with --registrations")
        scale.add_argument("--communes", type=int, default=3_300)
        scale.add_argument("--provinces", type=int, default=3)
        scale.add_argument("--years", type=int, default=10, help="Ending with this year.")
        recognitions = parser.add_argument_group("with --recognitions")
        recognitions.add_argument("--first-year", type=int, default=FIRST_YEAR)
        recognitions.add_argument("--last-year", type=int, default=None, help="Default: this year.")
        recognitions.add_argument(
            "--keep-indexes",
            action="store_true",
            help="On PostgreSQL, keep the secondary indexes while loading (slower).",
        )

    def handle(self, *args, recognitions, registrations, seed, batch_size, **options):
        if registrations is not None:
            ScaleData(self.stdout, self.style).run(
                registrations=registrations,
                communes=options["communes"],
                provinces=options["provinces"],
                years=options["years"],
                batch_size=batch_size or 10_000,
                seed=seed,
            )
            return
        RecognitionData(self.stdout, self.style).run(
            recognitions,
            seed,
            batch_size or 5000,
            first_year=options["first_year"],
            last_year=options["last_year"],
            keep_indexes=options["keep_indexes"],
        )
