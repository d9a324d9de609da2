from django.urls import path

from . import public_views

app_name = "funds-public"

# Public accounts of the funds (no login): every view here is marked @login_not_required.
urlpatterns = [
    path("", public_views.accounts, name="accounts"),
    path("<int:pk>/<int:year>/", public_views.unit_accounts, name="unit-year"),
]
