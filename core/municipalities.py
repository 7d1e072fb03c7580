"""Latvia's municipalities since the administrative-territorial reform of 1 July 2021.

The Administratīvo teritoriju un apdzīvoto vietu likums (2020) divides Latvia into 43
municipalities: 36 novadi and 7 valstspilsētas that belong to no novads. Jēkabpils, Ogre and
Valmiera are also state cities, but each lies within its own novads, so they are not listed
here. A centre or community picks its municipality from this list, so a typo can never add an
option to the public novads filter.

The names are proper names, the same in every interface language, hence not translated.
"""

from .text import sort_key

VALSTSPILSETAS = [
    "Daugavpils valstspilsēta",
    "Jelgavas valstspilsēta",
    "Jūrmalas valstspilsēta",
    "Liepājas valstspilsēta",
    "Rēzeknes valstspilsēta",
    "Rīgas valstspilsēta",
    "Ventspils valstspilsēta",
]

NOVADI = [
    f"{name} novads"
    for name in [
        "Aizkraukles", "Alūksnes", "Augšdaugavas", "Ādažu", "Balvu", "Bauskas", "Cēsu",
        "Dienvidkurzemes", "Dobeles", "Gulbenes", "Jelgavas", "Jēkabpils", "Krāslavas",
        "Kuldīgas", "Ķekavas", "Limbažu", "Līvānu", "Ludzas", "Madonas", "Mārupes", "Ogres",
        "Olaines", "Preiļu", "Rēzeknes", "Ropažu", "Salaspils", "Saldus", "Saulkrastu",
        "Siguldas", "Smiltenes", "Talsu", "Tukuma", "Valkas", "Valmieras", "Varakļānu",
        "Ventspils",
    ]
]  # fmt: skip

# In Latvian alphabetical order, so "Rēzeknes novads" and "Rēzeknes valstspilsēta" stand
# together in a drop-down.
MUNICIPALITIES = sorted(NOVADI + VALSTSPILSETAS, key=sort_key)

CHOICES = [(name, name) for name in MUNICIPALITIES]
