"""Widgets and fields the forms share."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.dates import this_year

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
FIRST_YEAR = 2014
CRITERION_KEY = re.compile(r"^criterion_(\d+)$")
NOTE_KEY = re.compile(r"^note_(\d+)$")


def years():
    return range(this_year() + 1, FIRST_YEAR - 1, -1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def unit_label(unit):
    """A unit's name, with the day it ended for a unit of the past."""
    if unit.valid_to:
        return _("%(name)s (until %(day)s)") % {
            "name": unit.name,
            "day": unit.valid_to.strftime("%d/%m/%Y"),
        }
    return unit.name


class VillageChoiceField(forms.ModelChoiceField):
    """The villages of one commune (a new registration chooses the commune first)."""

    def label_from_instance(self, village):
        return village.name
