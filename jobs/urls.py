from django.urls import path

from . import views

app_name = "jobs"

# Staff pages under /portal/jobs/ (see khuyenhoc/urls.py).
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/download/", views.job_download, name="job-download"),
]
