from django.urls import path

from . import public_views

# Public (no login): the address printed as a QR code for a village.
urlpatterns = [
    path("citizen/<str:token>/", public_views.self_assessment, name="citizen-self"),
]
