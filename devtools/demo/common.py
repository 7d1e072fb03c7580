"""What every part of the demo data shares: the mark on every sample text and the password."""

DEMO_PASSWORD = "demo-kopienas-2026"  # noqa: S105 - printed on purpose: sample accounts only
DEMO_MARK = "(parauga dati)"
