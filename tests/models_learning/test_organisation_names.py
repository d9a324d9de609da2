"""An organisation's name is unique in its commune on its folded form (case, diacritics,
đ → d), in the service and in the database; two officers entering one school at the same
moment: the second is refused with the service's message."""

import pytest
from django.db import IntegrityError, connection, transaction

from lib.errors import DomainError
from models_learning import services
from models_learning.models import Organisation
from tests.races import second_writer_outcome


def school(officer, commune, name):
    return services.create_organisation(by=officer, commune=commune, name=name, kind="school")


@pytest.mark.django_db
def test_a_name_differing_only_in_case_or_diacritics_is_the_same_organisation(
    tree, officer, english
):
    commune = tree["commune"]
    school(officer, commune, "Trường Tiểu học Điện Biên")
    for name in ("truong tieu hoc dien bien", "TRƯỜNG TIỂU HỌC ĐIỆN BIÊN"):
        with pytest.raises(DomainError, match="already has an organisation of that name"):
            school(officer, commune, name)
    assert Organisation.objects.filter(commune=commune).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_organisation_of_one_folded_name(tree, officer):
    commune = tree["commune"]
    school(officer, commune, "Trường Mầm non Hoa Ban")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(commune=commune, name="Truong Mam non Hoa Ban", kind="school")
    # Another commune may have a school of that name.
    Organisation.objects.create(
        commune=tree["sibling"], name="Trường Mầm non Hoa Ban", kind="school"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_officers_entering_one_school_at_once_the_second_is_refused(tree, officer, english):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    commune = tree["commune"]
    outcome = second_writer_outcome(
        lambda: school(officer, commune, "Trường THCS Mường Phăng"),
        lambda: school(officer, commune, "Truong THCS Muong Phang"),
    )
    assert outcome == ("refused", "This commune already has an organisation of that name.")
    assert Organisation.objects.filter(commune=commune).count() == 1
