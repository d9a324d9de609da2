from django.urls import path

from . import staff_views, views

app_name = "citizens"

# Staff pages, under /portal/citizens/ (see khuyenhoc/urls.py).
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<int:pk>/", views.commune, name="commune"),
    path("households/<int:pk>/", views.household, name="household"),
    path("people/<int:pk>/", views.person, name="person"),
    path("villages/<int:pk>/link/", views.link_open, name="link-open"),
    path("links/<int:pk>/", views.link, name="link"),
    path("links/<int:pk>/close/", views.link_close, name="link-close"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("organisations/<int:pk>/", staff_views.organisation, name="organisation"),
    path("organisations/<int:pk>/staff/add/", staff_views.staff_add, name="staff-add"),
    path("staff/<int:pk>/", staff_views.staff_edit, name="staff-edit"),
]
