"""A queryset's rows as the database returns them, read straight from the cursor.

For GROUP BYs of thousands of rows (a province's report, the centres' activity by unit), the
ORM's converters on every value cost more than the SQL. The values come as the database
sends them: text, whole numbers (a SUM over a bigint column is a Decimal on PostgreSQL),
None for a SUM over no row.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def cursor_rows(queryset):
    """The rows of `queryset` as tuples, in its columns' order (one query, none when the
    filter can match nothing)."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
