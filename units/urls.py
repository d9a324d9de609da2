from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("choose/", views.choose, name="choose"),
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
    path("<int:pk>/children/", views.tree_children, name="tree-children"),
    path("<int:pk>/edit/", views.branch_update, name="branch-update"),
    path("<int:pk>/villages/new/", views.village_create, name="village-create"),
    path("villages/<int:pk>/edit/", views.village_update, name="village-update"),
    path("<int:pk>/branches/new/", views.branch_create, name="branch-create"),
    path("<int:pk>/figures/<int:year>/", views.figures_edit, name="figures-edit"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/new/", views.account_create, name="account-create"),
    path("accounts/<int:pk>/", views.account_update, name="account-update"),
    path("accounts/<int:pk>/memberships/new/", views.membership_add, name="membership-add"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
]
