"""The name django-axes records a login attempt under.

Axes writes the typed username into varchar(255) columns. Django's login form does not stop a
longer one before authenticating (it sets the field's max_length after its validators were
made), so PostgreSQL refused the attempt's row and the login page answered 500. No account has
a name longer than the user model allows, so a longer name is cut to that length: every
over-long name is one lockout key, and the login page says the usual "wrong name or password".
"""

from django.conf import settings
from django.contrib.auth import get_user_model


def lockout_username(request, credentials=None):
    """The username of the attempt, at most as long as a username can be, without NUL bytes."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    user_model = get_user_model()
    limit = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length or 150
    return str(username).replace("\x00", "")[:limit]
