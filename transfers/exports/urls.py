from django.urls import path

from . import views

app_name = "exports"

# Staff downloads under /portal/exports/ (see khuyenhoc/urls.py), e.g. registrations.xlsx.
urlpatterns = [
    path(f"{name}.{fmt}", views.export, {"name": name, "fmt": fmt}, name=f"{name}-{fmt}")
    for name in views.EXPORTS
    for fmt in views.FORMATS
]
