"""The upload form and the choice of rows to import."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.sheets import SheetError
from lib.sheets.package import MAX_UNCOMPRESSED_BYTES, Source, check_package, check_size
from transfers.models import ImportMode
from units.choice import UnitSearchChoiceField, register_scope
from units.models import Unit

from .kinds import importable_communes, kind_choices

# The communes are offered as a short list and a search box (thousands at country scale).
register_scope("imports", importable_communes)


class UploadForm(forms.Form):
    """What the file holds, the commune it goes to, and the file (checked as an .xlsx here;
    its rows are checked by the preview)."""

    kind = forms.ChoiceField(label=_("What the file holds"))
    unit = UnitSearchChoiceField(label=_("Commune"), queryset=Unit.objects.none(), scope="imports")
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={
            "empty": _("The file is empty. Choose the Excel file (.xlsx) with your rows."),
            "required": _("Choose the Excel file (.xlsx) with your rows."),
        },
    )

    def __init__(self, *args, communes, only=None, **kwargs):
        """`only`: the user's one commune, when they import into a single one."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["unit"].queryset = communes
        self.fields["unit"].empty_label = None if only is not None else "---------"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        source = Source(upload)
        try:
            check_size(source, settings.IMPORT_MAX_BYTES)
            with source.open() as handle:
                check_package(handle, MAX_UNCOMPRESSED_BYTES)
        except SheetError as error:
            raise ValidationError([problem.message for problem in error.problems]) from None
        upload.seek(0)
        return upload


class ImportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Rows to import"), choices=ImportMode.choices)


class CommuneForm(forms.Form):
    """Which commune the templates are made for (its villages and centres fill the lists)."""

    unit = UnitSearchChoiceField(
        label=_("Commune"), queryset=Unit.objects.none(), required=False, scope="imports"
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes

    def selected(self, only=None):
        """The commune asked for (None if it is not one of the user's), else `only`, the
        user's one commune."""
        if self.is_bound and self.data.get("unit"):
            return self.cleaned_data["unit"] if self.is_valid() else None
        return only
