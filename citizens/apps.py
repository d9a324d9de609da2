from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Learning citizens")

    def ready(self):
        from models_learning.household_facts import on_household_facts

        from .facts import citizens_fact

        # The family title's pages show the share of the household's adults who are
        # learning citizens beside the criterion on adults' learning.
        on_household_facts(citizens_fact)
