"""The bench's identifiers and generated Latvian names, by fixed rules of an index.

Free of Django imports: `make bench` reads the usernames here before Django is set up.
"""

BENCH_PREFIX = "bench-"
BENCH_MARK = "(sintētiski dati veiktspējas mērījumiem)"
# The person whose /mans/ page the bench measures: an activist with 20 applications.
BENCH_APPLICANT = f"{BENCH_PREFIX}pieteicejs"
# The coordinator (staff, Koordinatori, with an authenticator app) whose ranking page of the
# assessed round `make bench` measures.
BENCH_COORDINATOR = f"{BENCH_PREFIX}koordinators"
# The manager (staff, Centru vadītāji, with an authenticator app) of the first synthetic centre
# alone, whose "Pasākumi manā centrā" `make bench` measures next to the coordinator's.
BENCH_MANAGER = f"{BENCH_PREFIX}centra-vaditajs"


def bench_user(index: int) -> str:
    """The username of the leader bench_data makes for the index-th synthetic community."""
    return f"{BENCH_PREFIX}lietotajs-{index:05d}"


# The leader of the first synthetic community, whose capacity self-assessment pages (ten
# rounds) `make bench` measures.
BENCH_LEADER = bench_user(0)

# Settlement names are compounds of a nature stem and a place word, as many Latvian ones are
# (Bērzkalni, Ozolmuiža); each place word comes with its genitive for "Bērzkalnu kopiena".
STEMS = [
    "Bērz", "Ozol", "Liep", "Priež", "Egļ", "Kļav", "Vītol", "Ezer", "Avot", "Akmeņ",
    "Smilš", "Dzirnav", "Riekst", "Ābel", "Saul", "Zīļ", "Dzērv", "Stārķ", "Mež", "Purv",
    "Meln", "Balt", "Zaļ", "Vecsil",
]  # fmt: skip
PLACE_WORDS = [
    ("kalni", "kalnu"), ("ciems", "ciema"), ("muiža", "muižas"), ("upe", "upes"),
    ("lauki", "lauku"), ("sala", "salas"), ("krasts", "krasta"), ("mala", "malas"),
    ("leja", "lejas"), ("strauts", "strauta"), ("pļavas", "pļavu"), ("gals", "gala"),
]  # fmt: skip

HOSTS = [
    "{genitive} pamatskola", "{genitive} tautas nams", "{genitive} bibliotēka",
    "{genitive} pagasta pārvalde", "{genitive} kultūras centrs", "biedrība „{nominative}”",
]  # fmt: skip

FIRST_NAMES = [
    ("Anna", "a"), ("Jānis", "m"), ("Ilze", "a"), ("Andris", "m"), ("Inese", "a"),
    ("Māris", "m"), ("Līga", "a"), ("Edgars", "m"), ("Kristīne", "a"), ("Aivars", "m"),
    ("Laura", "a"), ("Pēteris", "m"), ("Dace", "a"), ("Valdis", "m"), ("Ruta", "a"),
    ("Oskars", "m"),
]  # fmt: skip
# Surnames in the masculine and the feminine form.
SURNAMES = [
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"), ("Vītols", "Vītola"), ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"),
    ("Kļaviņš", "Kļaviņa"), ("Siliņš", "Siliņa"), ("Eglītis", "Eglīte"), ("Strods", "Stroda"),
]  # fmt: skip


def settlement(index: int) -> tuple[str, str]:
    """The (nominative, genitive) name of the index-th generated settlement."""
    stem = STEMS[index % len(STEMS)]
    word, genitive = PLACE_WORDS[(index // len(STEMS)) % len(PLACE_WORDS)]
    return stem + word, stem + genitive


def person(index: int) -> tuple[str, str]:
    """The (given name, surname) of the index-th generated person, the surname in the form
    that agrees with the given name."""
    first, gender = FIRST_NAMES[index % len(FIRST_NAMES)]
    masculine, feminine = SURNAMES[(index // len(FIRST_NAMES)) % len(SURNAMES)]
    return first, masculine if gender == "m" else feminine
