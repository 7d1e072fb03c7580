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

# Where each municipality is governed from (its administrative centre's town square, to two
# decimals, about a kilometre): the point a list measures distances from when someone picks the
# municipality they live in. Augšdaugavas novads is governed from Daugavpils, Dienvidkurzemes
# from Grobiņa, Ropažu from Ulbroka; a valstspilsēta and the novads named after it share a seat.
ADMINISTRATIVE_CENTRES: dict[str, tuple[float, float]] = {
    "Daugavpils valstspilsēta": (55.87, 26.53),
    "Jelgavas valstspilsēta": (56.65, 23.72),
    "Jūrmalas valstspilsēta": (56.97, 23.79),
    "Liepājas valstspilsēta": (56.51, 21.01),
    "Rēzeknes valstspilsēta": (56.51, 27.33),
    "Rīgas valstspilsēta": (56.95, 24.11),
    "Ventspils valstspilsēta": (57.39, 21.56),
    "Aizkraukles novads": (56.60, 25.26),
    "Alūksnes novads": (57.42, 27.05),
    "Augšdaugavas novads": (55.87, 26.53),
    "Ādažu novads": (57.08, 24.32),
    "Balvu novads": (57.13, 27.27),
    "Bauskas novads": (56.41, 24.19),
    "Cēsu novads": (57.31, 25.27),
    "Dienvidkurzemes novads": (56.54, 21.17),
    "Dobeles novads": (56.63, 23.28),
    "Gulbenes novads": (57.18, 26.75),
    "Jelgavas novads": (56.65, 23.72),
    "Jēkabpils novads": (56.50, 25.86),
    "Krāslavas novads": (55.90, 27.17),
    "Kuldīgas novads": (56.97, 21.97),
    "Ķekavas novads": (56.83, 24.23),
    "Limbažu novads": (57.51, 24.71),
    "Līvānu novads": (56.35, 26.18),
    "Ludzas novads": (56.55, 27.72),
    "Madonas novads": (56.85, 26.22),
    "Mārupes novads": (56.90, 24.05),
    "Ogres novads": (56.82, 24.60),
    "Olaines novads": (56.79, 23.94),
    "Preiļu novads": (56.29, 26.72),
    "Rēzeknes novads": (56.51, 27.33),
    "Ropažu novads": (56.94, 24.28),
    "Salaspils novads": (56.86, 24.35),
    "Saldus novads": (56.66, 22.49),
    "Saulkrastu novads": (57.26, 24.41),
    "Siguldas novads": (57.15, 24.85),
    "Smiltenes novads": (57.42, 25.90),
    "Talsu novads": (57.24, 22.59),
    "Tukuma novads": (56.97, 23.15),
    "Valkas novads": (57.78, 26.01),
    "Valmieras novads": (57.54, 25.43),
    "Varakļānu novads": (56.61, 26.75),
    "Ventspils novads": (57.39, 21.56),
}
