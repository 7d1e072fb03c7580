"""Assessing inside Django admin (issue 4): the assessor's rounds, progress and scoring pages."""
