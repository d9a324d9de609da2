from django.urls import path

from . import public_views

app_name = "centers-public"

# Public pages of this app (no login): every view here is marked @login_not_required.
urlpatterns = [
    path("", public_views.directory, name="center-directory"),
    path("<int:pk>/", public_views.center_detail, name="center-detail"),
]
