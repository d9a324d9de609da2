"""Recognised files for the certificate tests, made through the portal's own services."""

import datetime

from models_learning import services
from models_learning.models import CriteriaSet, Recognition
from tests.models_learning.factories import VillageFactory, proposed_family, score

YEAR = 2026
DECISION_DATE = datetime.date(2026, 11, 20)


def ensure_criteria_sets():
    if not CriteriaSet.objects.exists():
        services.load_criteria_sets()


def village_of(commune, name):
    return commune.villages.filter(name=name).first() or VillageFactory(commune=commune, name=name)


def recognised_family(
    officer, approver, commune, *, name, village="Bản Co Muông", issued=True, number=None
):
    """A family of `commune` proposed by `officer` and recognised by `approver`."""
    ensure_criteria_sets()
    registration = proposed_family(officer, village_of(commune, village), year=YEAR, head_name=name)
    services.approve_registration(
        registration, by=approver, decision_number=number, decision_date=DECISION_DATE
    )
    recognition = Recognition.objects.get(registration=registration)
    if issued:
        services.issue_decision(recognition, by=approver)
        recognition.refresh_from_db()
    return recognition


def revoked_family(officer, approver, commune, *, name, **options):
    recognition = recognised_family(officer, approver, commune, name=name, **options)
    services.revoke_recognition(recognition, by=approver, reason="Hồ sơ khai sai")
    recognition.refresh_from_db()
    return recognition


def recognised_subject(officer, approver, subject):
    """A clan, village community or organisation, registered, scored, proposed, recognised."""
    ensure_criteria_sets()
    registration = services.register_subject(by=officer, year=YEAR, subject=subject)
    score(registration, officer)
    services.propose_registration(registration, by=officer)
    services.approve_registration(registration, by=approver, decision_date=DECISION_DATE)
    recognition = Recognition.objects.get(registration=registration)
    services.issue_decision(recognition, by=approver)
    recognition.refresh_from_db()
    return recognition


def subject_of_kind(kind, officer, commune):
    if kind == "clan":
        return services.create_clan(by=officer, commune=commune, surname="Lò", branch="Chi 2")
    if kind == "community":
        return village_of(commune, "Bản Huổi Hốc")
    return services.create_organisation(
        by=officer, commune=commune, name="Trường Tiểu học Mường Phăng", kind="school"
    )
