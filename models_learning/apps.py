from functools import partial

from django.apps import AppConfig
from django.db import connections, transaction
from django.db.models.signals import post_migrate, post_save, pre_migrate
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

        from .models import Recognition, Registration, RegistrationTally

        # The public figures, search years and units kept in the cache (lib.figures_cache)
        # are dropped when a file, its recognition or revocation changes.
        bump_on_change(Registration, lambda registration: registration.year)
        bump_on_change(Recognition)

        # The registrations' tally (tally.py) follows them through triggers, which every
        # `migrate` installs at its end (recounting when any was missing or of another
        # version). On SQLite they are dropped before it: SQLite rebuilds a table to alter it,
        # which drops the registrations' triggers with the old table, and a rebuilt tally
        # table cannot be renamed into place while triggers name it.
        pre_migrate.connect(_set_tally_aside, sender=self)
        post_migrate.connect(_ensure_tally, sender=self)
        # A fixture or a serialised test database loads the tally's rows *and* the files,
        # whose triggers count them again: recount once the load is committed.
        post_save.connect(_tally_loaded, sender=RegistrationTally)


def _tally_table_exists(using):
    from .models import RegistrationTally

    return RegistrationTally._meta.db_table in connections[using].introspection.table_names()


def _set_tally_aside(using, **kwargs):
    from .tally import uninstall

    if connections[using].vendor == "sqlite" and _tally_table_exists(using):
        uninstall(using)


def _ensure_tally(using, **kwargs):
    from .tally import ensure

    if _tally_table_exists(using):  # not when migrating backwards past it
        ensure(using)


def _recount(using):
    from .tally import rebuild

    rebuild(using)


def _tally_loaded(sender, raw=False, using="default", **kwargs):
    if not raw:
        return
    connection = connections[using]
    # Once per transaction: the callbacks waiting for its commit (dropped if it rolls back).
    waiting = (getattr(func, "func", None) for _sids, func, _robust in connection.run_on_commit)
    if _recount not in waiting:
        transaction.on_commit(partial(_recount, using), using=using)
