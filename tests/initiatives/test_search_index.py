"""On PostgreSQL the initiatives' diacritic-blind search reads a trigram index, not every row
(initiatives migration 0005): at national scale a search would otherwise scan the table twice
per page (the count and the rows)."""

import pytest
from django.db import connection

from initiatives.models import Initiative

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_search_uses_the_trigram_index():
    queryset = Initiative.objects.filter(search_text__contains="gimenu")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Without rows the planner would read the tiny table whole: ask it for the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "initiative_search_trgm" in plan
