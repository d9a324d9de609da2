from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language

from reporting import views as reporting_views

from . import emblem, views
from .sitemaps import SITEMAPS

# A database out of reach is a 503 "temporarily unavailable" page, never a 500.
handler500 = "khuyenhoc.views.server_error"

urlpatterns = [
    path("", reporting_views.public_home, name="public-home"),
    path("healthz", views.healthz, name="healthz"),
    path("stats/", reporting_views.public_stats, name="public-stats"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("emblem", emblem.emblem, name="emblem"),
    # Browsers ask for /favicon.ico whatever the page says: the emblem, in its own type.
    path("favicon.ico", emblem.emblem, name="favicon"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("portal/", reporting_views.portal_home, name="portal-home"),
    path("portal/jobs/", include("jobs.urls")),
    path("portal/units/", include("units.urls")),
    path("portal/", include("models_learning.urls")),
    path("portal/", include("models_learning.certificate_urls")),
    path("portal/centers/", include("centers.urls")),
    path("portal/funds/", include("funds.urls")),
    path("portal/imports/", include("transfers.imports.urls")),
    path("portal/exports/", include("transfers.exports.urls")),
    path("portal/reports/", include("reporting.reports.urls")),
    path("portal/citizens/", include("citizens.urls")),
    path("", include("models_learning.public_urls")),
    path("", include("citizens.public_urls")),
    path("centers/", include("centers.public_urls")),
    path("funds/", include("funds.public_urls")),
    path("admin/", admin.site.urls),
]
