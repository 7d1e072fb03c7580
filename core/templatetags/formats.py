"""Latvian money, dates and times in templates: `{% load formats %}` (see core.formats)."""

from django import template

from core import formats

register = template.Library()

register.filter("riga_datetime", formats.riga_datetime)
register.filter("riga_datetime_in", formats.riga_datetime_in)
register.filter("riga_time", formats.riga_time)
register.filter("riga_period", formats.riga_period)
register.filter("html_datetime", formats.html_datetime)
register.filter("latvian_date", formats.latvian_date)
register.filter("money", formats.money)
register.filter("count", formats.count)
