"""On PostgreSQL the search is served by indexes: the trigram index for `q`, the ordered
partial indexes of migrations 0003 and 0004 for the order and the filters. On a test-sized table the
planner rightly prefers other plans, so the checks discourage those: an index that then
appears is one that matches the query (the README shows the plans at a million rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_learning import public
from models_learning.models import Registration

from .conftest import bench

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plan_of_first_query(**filters):
    """The plan of the search's ordered query when sorting is discouraged too: the index
    named must then give the order itself (with its partial condition matched)."""
    with CaptureQueriesContext(connection) as context:
        public.page_of(public.search(**filters), 1)
    sql = next(
        query["sql"]
        for query in context.captured_queries
        if '"models_learning_registration"' in query["sql"]
    )
    with connection.cursor() as cursor:
        for setting in (
            "enable_seqscan",
            "enable_bitmapscan",
            "enable_sort",
            "enable_incremental_sort",
        ):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_indexes_exist(tree):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'models_learning_registration'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "ml_registration_search_trgm",
        "ml_registration_public_order",
        "ml_registration_public_kind",
        "ml_registration_public_unit",
        "ml_registration_stats",
    } <= names


def explain(queryset):
    """The plan when only bitmap index scans are allowed."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_trigram_index_serves_the_lookup_django_writes_for_q(tree):
    bench(50)
    # Django writes `"search_text"::text LIKE '%…%'`: the index on the varchar column serves it.
    rows = Registration.objects.filter(search_text__contains="nguyen van an").order_by()
    assert "ml_registration_search_trgm" in explain(rows.values("id"))


def test_the_order_and_the_filters_use_their_partial_indexes(tree):
    bench(200)
    assert "ml_registration_public_order" in plan_of_first_query()
    assert "ml_registration_public_kind" in plan_of_first_query(kind="organisation")
    unit_plan = plan_of_first_query(unit=tree["commune"])
    assert "ml_registration_public_unit" in unit_plan
    assert "Seq Scan on models_learning_registration" not in unit_plan


def test_the_trigram_search_ignores_diacritics_on_postgresql(client, named):
    for query in ("nguyen van an", "đặng thị hằng", "ngoc an", "uoc"):
        found = public.page_of(public.search(q=query), 1).rows
        assert found, query
