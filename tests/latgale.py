"""Expected facts of the real Latgale data, written out by hand for the tests to compare with."""

# The ten centres as every list shows them: in Latvian alphabetical order of their names.
CENTRES_IN_LIST_ORDER = [
    ("Aglonas kopienu resursu centrs", "aglona"),
    ("Dagdas kopienas resursu centrs", "dagda"),
    ("Daugavpils kopienas resursu centrs", "daugavpils"),
    ("Ilūkstes kopienas resursu centrs", "ilukste"),
    ("Nautrēnu kopienas resursu centrs", "nautreni"),
    ("Preiļu kopienas resursu centrs", "preili"),
    ("Priežmales kopienas resursu centrs", "priezmale"),
    ("Sakstagala kopienu resursu centrs „Pī Boņa”", "sakstagals"),
    ("Vārkavas kopienas resursu centrs", "varkava"),
    ("Zilupes kopienas resursu centrs", "zilupe"),
]
CENTRE_NAMES = [name for name, _slug in CENTRES_IN_LIST_ORDER]
