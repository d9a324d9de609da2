from django.urls import path

from . import public_views

app_name = "models_learning-public"

# Public pages of this app (no login): every view here is marked @login_not_required.
urlpatterns = [
    path("recognitions/", public_views.recognition_search, name="recognition-search"),
    # Before the code's pattern: "units" is no certificate code.
    path("recognitions/units/", public_views.unit_choices, name="unit-choices"),
    path("recognitions/<str:code>/", public_views.recognition_detail, name="recognition-detail"),
    path("verify/", public_views.verify_form, name="verify-form"),
    path("verify/<str:code>/", public_views.verify, name="verify"),
]
