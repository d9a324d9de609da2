from units.scoping import can_manage_accounts, scope_of


class _PortalContext:
    """Header facts for a signed-in user, computed only when a template asks."""

    def __init__(self, user):
        self._user = user

    @property
    def memberships(self):
        return scope_of(self._user).memberships

    @property
    def can_manage_accounts(self):
        return can_manage_accounts(self._user)


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"portal": _PortalContext(user)}
