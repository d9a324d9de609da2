from django.urls import path

from . import views

app_name = "funds"

# Staff pages of the study-promotion funds, under /portal/funds/ (khuyenhoc/urls.py). A posted
# entry has a page and nothing else: no URL edits or deletes it (a reversing entry corrects it).
urlpatterns = [
    path("", views.fund_list, name="fund-list"),
    path("new/", views.fund_create, name="fund-create"),
    path("<int:pk>/", views.fund_detail, name="fund-detail"),
    path("<int:pk>/entries/new/", views.entry_create, name="entry-create"),
    path("<int:pk>/years/<int:year>/", views.period_detail, name="period-detail"),
    path("<int:pk>/years/<int:year>/close/", views.period_close, name="period-close"),
    path("<int:pk>/years/<int:year>/approve/", views.period_approve, name="period-approve"),
    path("<int:pk>/years/<int:year>/return/", views.period_return, name="period-return"),
    path("<int:pk>/programmes/new/", views.programme_create, name="programme-create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry-reverse"),
    path("entries/<int:pk>/evidence/", views.entry_evidence, name="entry-evidence"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/pay/", views.programme_pay, name="programme-pay"),
    path(
        "programmes/<int:pk>/signatures.pdf",
        views.programme_signatures,
        name="programme-signatures",
    ),
    path(
        "programmes/<int:pk>/certificates.pdf",
        views.programme_certificates,
        name="programme-certificates",
    ),
]
