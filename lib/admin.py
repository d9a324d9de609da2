"""The Django admin of the domain models goes through the rules, like every other page.

The admin is a superuser's tool for reading and, where a service exists, for the few writes
the portal's pages do not offer. A domain model is either read-only there (list, search,
view) or added and changed through the very service function the portal calls: the same
checks, the same audit rows, the same copies kept true. Nothing is deleted from the admin:
units end, registrations are withdrawn, history stays.
"""

from django import forms
from django.contrib import admin
from django.db import transaction

from .errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    """List, search and view only: every change goes through the portal's own pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ThroughServiceForm(forms.ModelForm):
    """Valid only once the service accepted the change. It runs last in validation, inside
    a savepoint of the admin view's transaction: on a DomainError its message goes next to
    its field and nothing is saved; otherwise `saved` is what the service returned."""

    save_through = None
    saved = None

    def _get_validation_exclusions(self):
        # The model's own checks of its constraints are left out: the service checks the
        # same rules next (and the database holds them), with messages that name the clash
        # and sit next to their field, on SQLite and PostgreSQL alike.
        return {field.name for field in self.instance._meta.get_fields()}

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors:
            return
        try:
            with transaction.atomic():
                self.saved = self.save_through(self.cleaned_data)
        except DomainError as error:
            error.add_to_form(self)


class ServiceAdmin(admin.ModelAdmin):
    """Add and change through services; never delete.

    A subclass defines `create(self, request, data)` (adding) and/or `update(self, request,
    obj, data)` (changing), each calling a service with `by=request.user` and returning the
    saved object. Without one of them the admin offers no add, or no change (view only).
    """

    create = None
    update = None

    def has_add_permission(self, request):
        return self.create is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:

            def save(data):
                return self.create(request, data)

        else:

            def save(data):
                return self.update(request, obj, data)

        return type(
            form.__name__, (_ThroughServiceForm, form), {"save_through": staticmethod(save)}
        )

    def save_form(self, request, form, change):
        return form.saved

    def save_model(self, request, obj, form, change):
        """Saved already, by the service, when the form was validated."""

    def save_related(self, request, form, formsets, change):
        # The service saved every field of the form; inlines here are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
