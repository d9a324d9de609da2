from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Association units")

    def ready(self):
        from lib.figures_cache import bump_on_change

        from .models import Unit, UnitYearFigures

        # Public figures kept in the cache: members per year, the units offered to filter by.
        bump_on_change(UnitYearFigures, lambda figures: figures.year)
        bump_on_change(Unit)
