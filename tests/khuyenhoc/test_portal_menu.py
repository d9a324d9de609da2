"""The staff menu (khuyenhoc/portal_menu.py) is rendered once per process for each language
and each answer to "may this user manage accounts?", and is the same menu as before."""

from django.urls import reverse

MENU = "partials/portal_menu.html"


def _menu_rendered(response):
    return MENU in [template.name for template in response.templates]


def test_the_menu_is_rendered_once_then_reused(client, tree, officer):
    client.force_login(officer)
    first = client.get(reverse("units:tree"))
    again = client.get(reverse("models_learning:registration-list"))
    assert _menu_rendered(first) and not _menu_rendered(again)
    for url in ("units:tree", "reports:yearly", "models_learning:criteria-list"):
        assert f'href="{reverse(url)}"' in again.text
    assert again.text.count('class="nav-group-menu"') == first.text.count('class="nav-group-menu"')


def test_each_language_and_each_kind_of_user_has_its_own_menu(
    client, tree, officer, province_staff
):
    client.force_login(officer)
    vietnamese = client.get(reverse("units:tree")).text
    client.cookies["django_language"] = "en"
    english = client.get(reverse("units:tree"))
    assert _menu_rendered(english)
    assert "Unit tree" in english.text and "Unit tree" not in vietnamese
    assert reverse("units:account-list") not in english.text
    client.force_login(province_staff)  # a manager: the accounts link
    manager = client.get(reverse("units:tree"))
    assert _menu_rendered(manager) and reverse("units:account-list") in manager.text
    # The user's own part of the header stays theirs.
    assert province_staff.username in manager.text
