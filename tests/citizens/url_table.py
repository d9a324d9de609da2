"""Every staff URL of learning citizens × the four personas (see tests/urltable.py).

The objects belong to today's Xã Mường Phăng (the `officer`'s commune): the sibling commune's
officer gets a 404; a step the persona may not take answers its page (200) and changes
nothing; a step taken redirects (302).
"""

from citizens import services
from tests.citizens import builders
from tests.urltable import OWN, Row, staff

# Saves: done by the officer (302), a 404 for the sibling commune, refused in place to
# province staff, who do not assess the people of a commune (200).
OFFICER_SAVES = staff(officer=302, sibling_officer=404, province_staff=200)


def _household(request):
    builders.citizen_sets()
    tree = request.getfixturevalue("tree")
    return builders.household_of(builders.village_of(tree["commune"]))


def household_pk(request):
    return {"pk": _household(request).pk}


def person_pk(request):
    return {"pk": builders.adults_of(_household(request))[0].pk}


def commune_pk(request):
    return {"pk": request.getfixturevalue("tree")["commune"].pk}


def village_pk(request):
    builders.citizen_sets()
    return {"pk": builders.village_of(request.getfixturevalue("tree")["commune"]).pk}


def _link(request):
    builders.citizen_sets()
    tree = request.getfixturevalue("tree")
    officer = request.getfixturevalue("officer")
    return services.open_village_link(builders.village_of(tree["commune"]), by=officer, year=2026)


def link_pk(request):
    return {"pk": _link(request).pk}


def sheet_pk(request):
    link = _link(request)
    builders.household_of(link.village)
    sheet = services.receive_self_assessment(
        link,
        name="Lò Văn Đôi",
        birth_year=1970,
        head_name="",
        answers=builders.ALL_MET,
        digital_skills=True,
    )
    return {"pk": sheet.pk}


def _organisation(request):
    builders.citizen_sets()
    organisation = builders.organisation_of(request.getfixturevalue("tree")["commune"])
    builders.staff_of(organisation, 2)
    return organisation


def organisation_pk(request):
    return {"pk": _organisation(request).pk}


def staff_pk(request):
    return {"pk": _organisation(request).staff.order_by("pk").first().pk}


def staff_post(request):
    return {"name": "Lò Thị Hoa", "birth_year": "1988", "first_year": "2023"}


def organisation_post(request):
    from citizens.models import StaffMember

    data = {"year": "2026"}
    for person in StaffMember.objects.all():
        data |= {f"s{person.pk}-assess": "on", f"s{person.pk}-c1": "on"}
    return data


def person_post(request):
    data = {"year": "2026", "digital": "on"}
    return data | {f"c{n}": "on" for n in range(1, 6)}


def confirm_post(request):
    from models_learning.models import HouseholdMember

    return {"member": HouseholdMember.objects.filter(name="Lò Văn Đôi").first().pk}


ROWS = [
    Row("citizens:index", staff()),
    Row("citizens:commune", OWN, kwargs=commune_pk),
    Row("citizens:household", OWN, kwargs=household_pk),
    Row(
        "citizens:household",
        OFFICER_SAVES,
        kwargs=household_pk,
        method="post",
        data=lambda request: {"year": "2026"},
        label="assess",
    ),
    Row("citizens:person", OWN, kwargs=person_pk),
    Row(
        "citizens:person",
        OFFICER_SAVES,
        kwargs=person_pk,
        method="post",
        data=person_post,
        label="assess",
    ),
    Row(
        "citizens:link-open",
        staff(officer=302, sibling_officer=404, province_staff=302),
        kwargs=village_pk,
        method="post",
        data=lambda request: {"year": "2026"},
    ),
    Row("citizens:link", OWN, kwargs=link_pk),
    Row(
        "citizens:link-close",
        staff(officer=302, sibling_officer=404, province_staff=302),
        kwargs=link_pk,
        method="post",
    ),
    Row("citizens:sheet", OWN, kwargs=sheet_pk),
    Row("citizens:organisation", OWN, kwargs=organisation_pk),
    Row(
        "citizens:organisation",
        OFFICER_SAVES,
        kwargs=organisation_pk,
        method="post",
        data=organisation_post,
        label="assess",
    ),
    Row("citizens:staff-add", OWN, kwargs=organisation_pk),
    Row(
        "citizens:staff-add",
        OFFICER_SAVES,
        kwargs=organisation_pk,
        method="post",
        data=staff_post,
        label="add",
    ),
    Row("citizens:staff-edit", OWN, kwargs=staff_pk),
    Row(
        "citizens:staff-edit",
        OFFICER_SAVES,
        kwargs=staff_pk,
        method="post",
        data=staff_post,
        label="edit",
    ),
    Row(
        "citizens:sheet",
        OFFICER_SAVES,
        kwargs=sheet_pk,
        method="post",
        data=confirm_post,
        label="confirm",
    ),
]
