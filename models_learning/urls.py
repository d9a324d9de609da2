from django.urls import path

from . import views

app_name = "models_learning"

# Staff pages of this app, under /portal/ (see khuyenhoc/urls.py).
urlpatterns = [
    path("registrations/", views.registration_list, name="registration-list"),
    path("registrations/new/", views.registration_create, name="registration-create"),
    path("registrations/carry-over/", views.carry_over, name="carry-over"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/score/", views.score, name="registration-score"),
    path("registrations/<int:pk>/propose/", views.propose, name="registration-propose"),
    path("registrations/<int:pk>/approve/", views.approve, name="registration-approve"),
    path(
        "registrations/<int:pk>/return/",
        views.return_for_correction,
        name="registration-return",
    ),
    path("registrations/<int:pk>/reject/", views.reject, name="registration-reject"),
    path("registrations/<int:pk>/withdraw/", views.withdraw, name="registration-withdraw"),
    path("registrations/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence-remove"),
    path("inbox/bulk-approve/", views.bulk_approve, name="bulk-approve"),
    path("recognitions/<int:pk>/decision/", views.decision, name="recognition-decision"),
    path("recognitions/<int:pk>/revoke/", views.revoke, name="recognition-revoke"),
    path("criteria/", views.criteria_list, name="criteria-list"),
    path("criteria/new/", views.criteria_create, name="criteria-create"),
    path("criteria/<int:pk>/", views.criteria_edit, name="criteria-edit"),
]
