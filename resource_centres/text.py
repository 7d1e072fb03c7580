"""Text helpers shared by every app (this app is the root of the import graph)."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case text without diacritics, so that "preili" matches "Preiļi".

    Latvian letters decompose under NFKD into a base letter and a combining mark
    (ā = a + macron, ļ = l + cedilla, ž = z + caron), so dropping the marks is enough.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
