from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = _("Learning centres")

    def ready(self):
        from lib.figures_cache import bump_on_change

        from .models import CenterRating

        # Public figures kept in the cache: the centres by band of a year.
        bump_on_change(CenterRating, lambda rating: rating.year)
