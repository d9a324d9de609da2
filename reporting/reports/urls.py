from django.urls import path

from . import views

app_name = "reports"

# Staff reports, under /portal/reports/ (see khuyenhoc/urls.py).
urlpatterns = [
    path("yearly/", views.yearly, name="yearly"),
    path("yearly.xlsx", views.yearly_xlsx, name="yearly-xlsx"),
    path("yearly.pdf", views.yearly_pdf, name="yearly-pdf"),
    path("recognised/", views.recognised_list, name="recognised-list"),
    path("recognised.xlsx", views.recognised_list_xlsx, name="recognised-list-xlsx"),
    path("recognised.pdf", views.recognised_list_pdf, name="recognised-list-pdf"),
    path("funds/", views.funds_report, name="funds"),
    path("funds.xlsx", views.funds_report_xlsx, name="funds-xlsx"),
    path("funds.pdf", views.funds_report_pdf, name="funds-pdf"),
]
