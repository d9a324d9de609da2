from django.urls import path

from . import views

app_name = "imports"

# Staff pages under /portal/imports/ (see khuyenhoc/urls.py).
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("templates/<slug:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/", views.batch_detail, name="batch-detail"),
    path("<int:pk>/import/", views.batch_import, name="batch-import"),
    path("<int:pk>/retry/", views.batch_retry, name="batch-retry"),
]
