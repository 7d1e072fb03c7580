"""On PostgreSQL the initiatives' diacritic-blind search reads an index, not every row
(initiatives migrations 0005 and 0006): at national scale a search would otherwise scan the
table twice per page (the count and the rows)."""

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


def test_the_list_order_index_carries_the_search_text():
    # A common word is then matched in the index, in the list's order, and the page's rows
    # are found without reading the wide ones (initiatives migration 0006).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["initiative_list_order"]
        )
        definitions = [row[0] for row in cursor.fetchall()]

    assert definitions == [
        "CREATE INDEX initiative_list_order ON public.initiatives_initiative "
        "USING btree (status, year DESC, title, id) INCLUDE (search_text)"
    ]


def test_the_list_with_a_search_can_be_read_in_the_list_order_index():
    # The list's own query (selectors.initiative_list orders it so): with sorting ruled out,
    # only an index in exactly the list's order can answer it. Which plan the planner prefers
    # on real data depends on its statistics; that this one exists does not.
    queryset = (
        Initiative.objects.filter(status=Initiative.Status.PUBLISHED, search_text__contains="talka")
        .order_by("-year", "title", "pk")
        .values_list("pk", flat=True)[:20]
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "using initiative_list_order" in plan
    assert "Sort" not in plan
