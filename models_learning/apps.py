from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModelsLearningConfig(AppConfig):
    name = "models_learning"
    verbose_name = _("Learning models")

    def ready(self):
        from units import hooks

        from .services.subjects import refresh_village_copies

        # Registrations copy their village's name (a community's name, a family's search
        # text): a rename in units refreshes them in the same transaction.
        hooks.on_village_renamed(refresh_village_copies)

        from lib.figures_cache import bump_on_change

        from .models import Recognition, Registration

        # The public figures, search years and units kept in the cache (lib.figures_cache)
        # are dropped when a file, its recognition or revocation changes.
        bump_on_change(Registration, lambda registration: registration.year)
        bump_on_change(Recognition)

        # The registrations' tally (tally.py) follows them through triggers; a migration that
        # rebuilds the registrations table (SQLite does, to alter it) drops them: every
        # `migrate` puts them back and recounts when one was missing.
        post_migrate.connect(_ensure_tally, sender=self)


def _ensure_tally(using, **kwargs):
    from .models import RegistrationTally
    from .tally import ensure

    tables = connections[using].introspection.table_names()
    if RegistrationTally._meta.db_table in tables:  # not when migrating backwards past it
        ensure(using)
