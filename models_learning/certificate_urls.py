from django.urls import path

from . import certificate_views

app_name = "certificates"

# Staff pages under /portal/ (see khuyenhoc/urls.py): certificates and decision lists.
urlpatterns = [
    path(
        "recognitions/<str:code>/certificate.pdf",
        certificate_views.certificate_pdf,
        name="certificate-pdf",
    ),
    path("certificates/", certificate_views.batch, name="batch"),
]
