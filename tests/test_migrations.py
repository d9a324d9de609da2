"""Migrations: the project's apps migrate back to zero and forward again, on SQLite and on
PostgreSQL; and a PostgreSQL database holding data as of commit 055be17 (before the layer
move) keeps every row, with its values, through every migration since."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# Every app of the project that has migrations, in the order of the layers.
PROJECT_APPS = ["khuyenhoc", "transfers", "citizens", "jobs", "units", "models_learning", "centers"]

# The migration state of commit 055be17: Job and ImportBatch still in the project package.
STATE_055BE17 = [
    ("khuyenhoc", "0002_import_batches"),
    ("units", "0001_initial"),
    ("models_learning", "0004_public_search_units_stats"),
    ("centers", "0002_default_scheme"),
    ("jobs", None),
    ("transfers", None),
]
# Where the models of that state live at the head.
MOVED = {
    ("khuyenhoc", "job"): ("jobs", "job"),
    ("khuyenhoc", "importbatch"): ("transfers", "importbatch"),
}


def migrate(targets):
    """Migrate to `targets` (None: the head of every app) and return the state reached."""
    executor = MigrationExecutor(connection)
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    return executor.migrate(targets)


def index_names(table):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.fixture
def back_to_head():
    """Whatever a test did to the schema, the database ends at the head for the next tests."""
    yield
    migrate(None)


@pytest.mark.usefixtures("back_to_head")
def test_the_projects_apps_migrate_back_step_by_step_to_zero_and_forward_again():
    # 0004 used to make 0003's index again, and dropped it when migrated back.
    migrate([("models_learning", "0003_public_search")])
    indexes = index_names("models_learning_registration")
    assert "ml_registration_public_unit" in indexes
    assert "ml_registration_stats" not in indexes
    migrate([("models_learning", "0002_search_trigram")])
    assert "ml_registration_public_unit" not in index_names("models_learning_registration")

    migrate([(app, None) for app in PROJECT_APPS])
    assert "models_learning_registration" not in connection.introspection.table_names()
    assert "units_unit" not in connection.introspection.table_names()

    migrate(None)
    indexes = index_names("models_learning_registration")
    assert {"ml_registration_public_unit", "ml_registration_stats"} <= indexes
    assert "village_unique_name_any_case" in index_names("units_village")
    assert "unit_path_well_formed" in index_names("units_unit")


# --- a database of commit 055be17, migrated to the head ------------------------------------


def fill_tables_of_055be17(apps):
    """A row (or a few) in every table of the project at 055be17, through its historical
    models, as the portal wrote them then; returns the unit the admin saved with no path."""
    get = apps.get_model
    user = get("auth", "User").objects.create(
        username="can-bo-cu", password="!", first_name="Lò Văn", last_name="Cũ"
    )
    Unit = get("units", "Unit")

    def unit(name, level, parent=None, **fields):
        made = Unit.objects.create(
            name=name, level=level, parent=parent, path="/", depth=0, **fields
        )
        made.path = f"{parent.path if parent else '/'}{made.pk}/"
        made.depth = parent.depth + 1 if parent else 0
        made.save()
        return made

    province = unit("Tỉnh Điện Biên", "province", admin_code="11")
    old = unit("Xã Nà Nhạn", "commune", province, admin_code="3317",
               valid_to=datetime.date(2025, 6, 30))  # fmt: skip
    commune = unit("Xã Mường Phăng", "commune", province, admin_code="3325",
                   valid_from=datetime.date(2025, 7, 1))  # fmt: skip
    unit("Chi hội bản Co Muông", "branch", commune, kind="village_branch")
    # What the admin could save before 2026-12: a unit with an empty path.
    no_path = Unit.objects.create(name="Xã thêm trong admin", level="commune", parent=province)
    get("units", "UnitChange").objects.create(
        predecessor=old, successor=commune, kind="merge", date=datetime.date(2025, 7, 1),
        legal_basis="Nghị quyết 1661/NQ-UBTVQH15",
    )  # fmt: skip
    village = get("units", "Village").objects.create(commune=commune, name="Bản Co Muông")
    get("units", "Membership").objects.create(user=user, unit=commune, role="officer")
    get("units", "UnitYearFigures").objects.create(
        unit=commune, year=2026, members=1200, population=9000, households=2100, branches=12,
        boards=3,
    )  # fmt: skip
    get("units", "AuditEntry").objects.create(
        actor=user, action="unit.create", unit=commune, target="Xã Mường Phăng",
        changes={"name": "Xã Mường Phăng"},
    )  # fmt: skip

    criteria_set = get("models_learning", "CriteriaSet").objects.create(
        code="gdht-2021", kind="family", name="Gia đình học tập", valid_from_year=2021,
        valid_to_year=2030, max_score=Decimal("100"), pass_mark=Decimal("80"),
        approval_levels=["commune", "province"], is_frozen=True,
    )  # fmt: skip
    criterion = criteria_set.criteria.create(
        number=1, title="Học tập thường xuyên", max_points=Decimal("100"), required=True
    )
    household = get("models_learning", "Household").objects.create(
        commune=commune, village=village, head_name="Lò Thị Ơn",
        head_name_normalised="lo thi on", head_birth_year=1980, phone="0912345678",
    )  # fmt: skip
    household.members.create(name="Lò Văn Bình", birth_year=2012, relationship="child",
                             schooling="lower_secondary")  # fmt: skip
    clan = get("models_learning", "Clan").objects.create(
        commune=commune, surname="Lò", branch="Chi 2", name_normalised="lo chi 2"
    )
    clan.communes.add(commune)
    get("models_learning", "Organisation").objects.create(
        commune=commune, name="Trường Tiểu học Mường Phăng", kind="school",
        name_normalised="truong tieu hoc muong phang",
    )  # fmt: skip
    registration = get("models_learning", "Registration").objects.create(
        kind="family", year=2026, unit=commune, household=household, criteria_set=criteria_set,
        status="recognized", total_score=Decimal("95.5"), subject_name="Lò Thị Ơn",
        search_text="lo thi on ban co muong 1980", entered_by=user,
    )  # fmt: skip
    registration.scores.create(criterion=criterion, points=Decimal("95.5"),
                               max_points=Decimal("100"))  # fmt: skip
    registration.events.create(
        action="register", to_status="registered", level="commune", unit=commune, actor=user,
        data={"source": "form"},
    )  # fmt: skip
    registration.evidence.create(
        file="evidence/2026/bien-ban.pdf", original_name="biên bản.pdf",
        content_type="application/pdf", size=2048, uploaded_by=user,
    )  # fmt: skip
    get("models_learning", "Recognition").objects.create(
        registration=registration, issuing_unit=province, decision_number="12/QĐ-HKH",
        decision_date=datetime.date(2026, 11, 20), valid_from=datetime.date(2026, 11, 20),
        valid_to=datetime.date(2027, 11, 19), certificate_code="DB-2026-7KQ4M2",
    )  # fmt: skip
    get("models_learning", "DecisionCounter").objects.create(unit=province, year=2026, last=12)

    job = get("khuyenhoc", "Job").objects.create(
        kind="import", title="Nhập hộ gia đình", requested_by=user, status="done", done=3,
        total=3, summary={"new": 3},
    )  # fmt: skip
    get("khuyenhoc", "ImportBatch").objects.create(
        kind="households", unit=commune, requested_by=user, file="imports/2026/11/ho.xlsx",
        original_name="hộ gia đình.xlsx", size=5120, status="imported", counts={"new": 3},
        job=job,
    )  # fmt: skip

    center = get("centers", "LearningCenter").objects.create(name="TTHTCĐ Mường Phăng",
                                                               commune=commune)  # fmt: skip
    legacy = get("centers", "LearningCenter").objects.create(
        name="TTHTCĐ Nà Nhạn", commune=commune, valid_to=datetime.date(2025, 12, 31)
    )
    get("centers", "CenterChange").objects.create(
        predecessor=legacy, successor=center, date=datetime.date(2026, 1, 1), recorded_by=user
    )
    get("centers", "CenterYearReport").objects.create(
        center=center, commune=commune, year=2025, literacy_classes=2,
        literacy_participants=40, funds_state_budget=15000000, filed_by=user,
    )  # fmt: skip
    scheme = get("centers", "RatingScheme").objects.create(
        key="tthtcd-2018", name="Đánh giá TTHTCĐ", year_from=2018, provisional=True
    )
    first = scheme.criteria.create(number=1, title="Cơ sở vật chất", max_points=Decimal("100"))
    band = scheme.bands.create(code="tot", name="Tốt", min_total=Decimal("85"))
    rating = get("centers", "CenterRating").objects.create(
        center=center, year=2025, scheme=scheme, commune=commune, status="rated",
        total=Decimal("88.50"), band=band, created_by=user,
    )  # fmt: skip
    rating.scores.create(criterion=first, max_points=first.max_points,
                         self_points=first.max_points, points=first.max_points)  # fmt: skip
    rating.events.create(action="rate", from_status="submitted", to_status="rated",
                         actor=user, reason="Đủ minh chứng")  # fmt: skip
    rating.evidence.create(file="centers/1/2025/a.pdf", original_name="báo cáo.pdf",
                           content_type="application/pdf", size=1024, uploaded_by=user)  # fmt: skip
    get("sessions", "Session").objects.create(
        session_key="k" * 32,
        session_data="e30",
        expire_date=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    return no_path


def snapshot(apps, app_labels):
    """Every row of every model of `app_labels`, by (app, model): a list of dicts in id order."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in app_labels:
            key = (model._meta.app_label, model._meta.model_name)
            rows[key] = list(model.objects.order_by("pk").values())
    return rows


@pytest.mark.postgres
@pytest.mark.usefixtures("back_to_head")
def test_a_database_of_commit_055be17_keeps_every_row_through_every_migration_since():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (set DATABASE_URL to a PostgreSQL database)")
    old_state = migrate(STATE_055BE17)
    no_path = fill_tables_of_055be17(old_state.apps)
    apps_then = ["auth", "sessions", "khuyenhoc", "units", "models_learning", "centers"]
    before = snapshot(old_state.apps, apps_then)
    empty = [key for key, rows in before.items() if not rows and key[0] != "auth"]
    assert empty == []
    assert before[("auth", "user")]

    head = migrate(None)

    after = snapshot(head.apps, [*apps_then, "jobs", "transfers"])
    for (app, model), rows in before.items():
        now = after[MOVED.get((app, model), (app, model))]
        if (app, model) == ("units", "unit"):
            # The unit the admin saved without a path got its place from its parent link.
            repaired = next(row for row in now if row["id"] == no_path.pk)
            assert repaired["path"] == f"/{no_path.parent_id}/{no_path.pk}/"
            assert repaired["depth"] == 1
            rows = [row for row in rows if row["id"] != no_path.pk]
            now = [row for row in now if row["id"] != no_path.pk]
        # Columns added since (e.g. a job's heartbeat) are not the old rows' business.
        columns = set(rows[0]) if rows else set()
        now = [{key: value for key, value in row.items() if key in columns} for row in now]
        assert now == rows, f"{app}.{model} changed"
    assert len(after[("units", "unit")]) == 5


# --- data that breaks a new rule stops its migration, which says what to fix -----------------


@pytest.mark.usefixtures("back_to_head")
def test_villages_differing_only_in_case_stop_the_migration_which_lists_them(tree):
    state = migrate([("units", "0002_unit_path_well_formed")])
    Village = state.apps.get_model("units", "Village")
    commune = tree["commune"]
    kept = Village.objects.create(commune_id=commune.pk, name="Bản Co Muông")
    twin = Village.objects.create(commune_id=commune.pk, name="bản co muông")
    Village.objects.create(commune_id=tree["sibling"].pk, name="BẢN CO MUÔNG")  # elsewhere: fine
    with pytest.raises(Exception, match="differ only in case") as refused:
        migrate(None)
    message = str(refused.value)
    listed = (
        f"commune id {commune.pk}: “Bản Co Muông” (id {kept.pk}), “bản co muông” (id {twin.pk})"
    )
    assert listed in message
    assert "BẢN CO MUÔNG" not in message
    assert "Nothing was changed" in message
    assert Village.objects.filter(commune_id=commune.pk).count() == 2
    Village.objects.filter(pk=twin.pk).update(name="Bản Co Muông Hai")
    migrate(None)
    assert "village_unique_name_any_case" in index_names("units_village")


@pytest.mark.usefixtures("back_to_head")
def test_organisations_whose_folded_names_match_stop_the_migration_which_lists_them(tree):
    state = migrate([("models_learning", "0004_public_search_units_stats")])
    Organisation = state.apps.get_model("models_learning", "Organisation")
    commune = tree["commune"]
    folded = "truong tieu hoc dien bien"
    one = Organisation.objects.create(
        commune_id=commune.pk, name="Trường Tiểu học Điện Biên", kind="school",
        name_normalised=folded,
    )  # fmt: skip
    two = Organisation.objects.create(
        commune_id=commune.pk, name="Truong Tieu hoc Dien Bien", kind="school",
        name_normalised=folded,
    )  # fmt: skip
    with pytest.raises(Exception, match="differ only in case or diacritics") as refused:
        migrate(None)
    assert (
        f"“Trường Tiểu học Điện Biên” (id {one.pk}), “Truong Tieu hoc Dien Bien” (id {two.pk})"
        in str(refused.value)
    )
    Organisation.objects.filter(pk=two.pk).delete()
    migrate(None)


@pytest.mark.postgres
@pytest.mark.usefixtures("back_to_head")
def test_units_sharing_a_code_in_one_period_stop_the_migration_which_lists_them(tree):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    state = migrate([("units", "0003_village_name_unique_any_case")])
    Unit = state.apps.get_model("units", "Unit")
    province = tree["province"]
    twin = Unit.objects.create(
        name="Xã Song Sinh", level="commune", parent_id=province.pk, admin_code="3325",
        path=f"{province.path}0/", depth=1,
    )  # fmt: skip
    with pytest.raises(Exception, match="share an official code") as refused:
        migrate(None)
    message = str(refused.value)
    assert f"commune code 3325: “Xã Mường Phăng” (id {tree['commune'].pk})" in message
    assert f"“Xã Song Sinh” (id {twin.pk})" in message
    Unit.objects.filter(pk=twin.pk).update(valid_to=datetime.date(2025, 6, 30))
    migrate(None)


@pytest.mark.usefixtures("back_to_head")
def test_citizens_go_back_before_the_staff_with_a_staff_result_recorded(tree):
    """Back to citizens 0002, where a result is always a household member's: the staff's
    results go (member and village become required again), the households' stay."""
    from citizens import staff as staff_services
    from citizens.models import CitizenResult
    from tests.citizens.builders import (
        ALL_MET,
        adults_of,
        household_of,
        organisation_of,
        staff_of,
        village_of,
    )
    from tests.citizens.conftest import _assess, citizen_sets
    from tests.factories import UserFactory

    citizen_sets()
    admin = UserFactory(username="root-back", is_superuser=True)
    adult = adults_of(household_of(village_of(tree["commune"]), adults=1, children=0))[0]
    _assess(admin, adult, 2025, ALL_MET, True)
    teacher = staff_of(organisation_of(tree["commune"], "Trường Mầm non"), 1)[0]
    staff_services.record_staff_result(
        teacher, by=admin, year=2025, answers=ALL_MET, digital_skills=False
    )
    assert CitizenResult.objects.count() == 2
    state = migrate([("citizens", "0002_one_open_link_per_village_year")])
    Result = state.apps.get_model("citizens", "CitizenResult")
    assert list(Result.objects.values_list("member_id", flat=True)) == [adult.pk]
    migrate(None)
    assert CitizenResult.objects.get().member_id == adult.pk
