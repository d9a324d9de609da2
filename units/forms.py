import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


class TreeDateForm(forms.Form):
    """Which day of the tree to show: today, or a day of an earlier period."""

    PERIODS = [
        ("", _("Today")),
        ("2019-12-31", _("2014–2019 (130 communes)")),
        ("2025-06-30", _("2020 – June 2025 (129 communes)")),
    ]
    on = forms.DateField(label=_("Tree on"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def day(self):
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return datetime.date.today()
