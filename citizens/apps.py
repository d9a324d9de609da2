from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Learning citizens")

    def ready(self):
        from lib.figures_cache import bump_on_change
        from models_learning.household_facts import on_household_facts

        from .facts import citizens_fact
        from .models import CitizenResult, StaffMember

        # The public home and /stats/ show the year's shares: a result saved or deleted
        # makes their cached figures of that year stale.
        bump_on_change(CitizenResult, lambda result: result.year)
        # A staff member counts in every year on the staff: all the years are stale.
        bump_on_change(StaffMember)

        # The family title's pages show the share of the household's adults who are
        # learning citizens beside the criterion on adults' learning.
        on_household_facts(citizens_fact)
