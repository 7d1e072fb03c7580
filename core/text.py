"""Text folding and Latvian alphabetical order, shared by search and sorting in every app."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case text without diacritics, so that "preili" matches "Preiļi".

    Latvian letters decompose under NFKD into a base letter and a combining mark
    (ā = a + macron, ļ = l + cedilla, ž = z + caron), so dropping the marks is enough.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# In Latvian alphabetical order (CLDR "lv") these letters follow their base letter as letters of
# their own, while the long vowels ā ē ī ū sort with a e i u.
_OWN_LETTERS = {"č": "c~", "ģ": "g~", "ķ": "k~", "ļ": "l~", "ņ": "n~", "š": "s~", "ž": "z~"}


def sort_key(text: str) -> str:
    """A key whose plain (bytewise) order is Latvian alphabetical order, on any database.

    "~" sorts after every lower-case ASCII letter, so "c~" falls between "cz" and "d".
    """
    lowered = unicodedata.normalize("NFC", text or "").casefold()
    return "".join(_OWN_LETTERS.get(ch) or fold(ch) for ch in lowered)
