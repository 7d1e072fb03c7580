"""How the grant area keeps euro amounts: the decimal places of a stored amount, and zero as a
sum, for the queries that add amounts up."""

from decimal import Decimal

from django.db import models
from django.db.models import Value

MONEY = {"max_digits": 10, "decimal_places": 2}
# Nothing, as a sum of amounts: what a query's Coalesce falls back to when there is no row.
ZERO = Value(Decimal(0), output_field=models.DecimalField(max_digits=12, decimal_places=2))
