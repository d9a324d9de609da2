from django.templatetags.static import static
from django.urls import reverse

from lib import province
from units.scoping import can_manage_accounts, scope_of


class _PortalContext:
    """Header facts for a signed-in user, computed only when a template asks."""

    def __init__(self, user):
        self._user = user

    @property
    def memberships(self):
        return scope_of(self._user).memberships

    @property
    def roles_by_unit(self):
        """[(unit, "role, role"), …]: each unit once, with the user's roles there."""
        grouped = {}
        for membership in self.memberships:
            _unit, roles = grouped.setdefault(membership.unit_id, (membership.unit, []))
            roles.append(str(membership.get_role_display()))
        return [(unit, ", ".join(roles)) for unit, roles in grouped.values()]

    @property
    def can_manage_accounts(self):
        return can_manage_accounts(self._user)


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"portal": _PortalContext(user)}


class _Association:
    """The configured association (lib.province) with its emblem's URL, for every template."""

    def __init__(self):
        self._province = province.current()

    def __getattr__(self, name):
        return getattr(self._province, name)

    @property
    def name(self):
        return self._province.association_name

    @property
    def emblem_url(self):
        if province.emblem_is_default():
            return static(province.DEFAULT_EMBLEM)
        # The configured file is served by a view; its change time makes a new URL.
        try:
            version = int(province.emblem_path().stat().st_mtime)
        except OSError:
            version = 0
        return f"{reverse('emblem')}?v={version}"


def association(request):
    return {"association": _Association()}
