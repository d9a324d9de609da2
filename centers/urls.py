from django.urls import path

from . import views

app_name = "centers"

# Staff pages of this app, under /portal/centers/ (see khuyenhoc/urls.py).
urlpatterns = [
    path("", views.center_list, name="center-list"),
    path("new/", views.center_create, name="center-create"),
    path("carry-over/", views.carry_over, name="carry-over"),
    path("<int:pk>/", views.center_detail, name="center-detail"),
    path("<int:pk>/edit/", views.center_edit, name="center-edit"),
    path("<int:pk>/merge/", views.center_merge, name="center-merge"),
    path("<int:pk>/reports/new/", views.report_create, name="report-create"),
    path("<int:pk>/self-assessment/", views.rating_self_assess, name="rating-self-assess"),
    path("reports/", views.report_totals, name="report-totals"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating-detail"),
    path("ratings/<int:pk>/submit/", views.rating_submit, name="rating-submit"),
    path("ratings/<int:pk>/rate/", views.rating_rate, name="rating-rate"),
    path("ratings/<int:pk>/return/", views.rating_return, name="rating-return"),
    path("ratings/<int:pk>/publish/", views.rating_publish, name="rating-publish"),
    path("ratings/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("schemes/", views.scheme_list, name="scheme-list"),
    path("schemes/new/", views.scheme_create, name="scheme-create"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme-edit"),
]
