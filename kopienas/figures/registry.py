"""The impact figures, each defined once: what it counts, what it leaves out, which date puts a
row in a year, and how it is written. Every page, the CSV and the admin read these definitions;
`kopienas.figures.sources` holds the one query behind each."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formats import count
from initiatives.selectors import reach_text


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    definition: Promise
    counts: Promise
    leaves_out: Promise
    time_basis: Promise
    # Whether the figure is broken down by year and by place (centre and community); a figure
    # of the centres only (bookings) is broken down by centre but not by community.
    by_year: bool = True
    by_place: bool = True
    by_community: bool = True
    # None for an exact count ("6 014"); otherwise the unit it is rounded to ("ap 6 000").
    rounding: int | None = None

    def written(self, value: int) -> str:
        """The value as the pages write it: an exact count, or a rounded one that says so."""
        if self.rounding is None:
            return count(value)
        rounded = int((value + self.rounding // 2) // self.rounding * self.rounding)
        return gettext("ap %(value)s") % {"value": count(rounded)}


PARTICIPANTS = Figure(
    key="participants",
    label=_("iedzīvotāju iesaistīti"),
    definition=_(
        "Dalībnieku skaits notikušajos pasākumos kopā ar dalībnieku skaitu publicētajās "
        "iniciatīvās. Cilvēks, kurš piedalījies divos pasākumos, ir saskaitīts divreiz."
    ),
    counts=_(
        "Noslēgtu pasākumu atskaitēs ierakstīto dalībnieku skaitu un publicēto iniciatīvu "
        "atskaitēs norādīto dalībnieku skaitu."
    ),
    leaves_out=_(
        "Atceltus un vēl nenoslēgtus pasākumus, pieteikšanās bez apmeklējuma, nepublicētas "
        "iniciatīvas un nepublicētu kopienu iniciatīvas."
    ),
    time_basis=_("Pasākums – pēc tā sākuma datuma Rīgas laikā; iniciatīva – pēc tās gada."),
)
INSTITUTIONS = Figure(
    key="institutions",
    label=_("iestādes un organizācijas iesaistītas"),
    definition=_(
        "Dažādas iestādes un organizācijas, kuras nosauktas vismaz vienas publicētas iniciatīvas "
        "atskaitē. Katra saskaitīta vienreiz, lai cik iniciatīvās tā piedalījusies."
    ),
    counts=_("Iestādes pēc nosaukuma, kā to ierakstījušas iniciatīvu komandas."),
    leaves_out=_(
        "Iestādes, kuras minētas tikai nepublicētās vai vēl nepabeigtās iniciatīvās vai "
        "nepublicētu kopienu iniciatīvās."
    ),
    time_basis=_(
        "Gads, kurā iestāde pirmo reizi nosaukta publicētā iniciatīvā. Centru un kopienu tabulā "
        "iestāde ir saskaitīta katrā, kurā tā minēta, tāpēc to summa var pārsniegt kopskaitu."
    ),
)
INITIATIVES = Figure(
    key="initiatives",
    label=_("vietējās iniciatīvas īstenotas"),
    definition=_(
        "Publicētas vietējo kopienu iniciatīvas: gan konkursos atbalstītās, gan tās, ko kopienas "
        "īstenojušas pašas."
    ),
    counts=_("Iniciatīvas, kuru atskaite pieņemta un stāsts publicēts."),
    leaves_out=_(
        "Vēl īstenošanā esošas, atceltas un nepublicētas iniciatīvas un nepublicētu kopienu "
        "iniciatīvas."
    ),
    time_basis=_("Iniciatīvas gads."),
)
TRAININGS = Figure(
    key="trainings",
    label=_("apmācību sesijas"),
    definition=_("Notikušas mācības kopienām, semināri pedagogiem un līderu skolas nodarbības."),
    counts=_("Noslēgtus šo veidu pasākumus, katru vienreiz."),
    leaves_out=_(
        "Atceltus un vēl nenoslēgtus pasākumus, ekspertu konsultācijas un kopienu pasākumus."
    ),
    time_basis=_("Pasākuma sākuma datums Rīgas laikā."),
)
ROUNDS = Figure(
    key="rounds",
    label=_("mazo iniciatīvu konkursi"),
    definition=_("Mazo kopienu iniciatīvu konkursi, kuru rezultāti ir publicēti."),
    counts=_("Konkursus ar publicētiem rezultātiem."),
    leaves_out=_("Konkursus sagatavošanā, pieteikšanās, vērtēšanas un lēmumu posmā."),
    time_basis=_("Konkursa gads."),
    by_place=False,
)
SUPPORTED_IDEAS = Figure(
    key="supported_ideas",
    label=_("atbalstītas idejas"),
    definition=_(
        "Konkursu pieteikumi, par kuru atbalstu pieteicējiem ir paziņots konkursos ar "
        "publicētiem rezultātiem."
    ),
    counts=_("Pieteikumus, kuriem paziņotais lēmums ir „atbalstīts”."),
    leaves_out=_(
        "Atsauktus pieteikumus, melnrakstus, rezerves sarakstu, vēl nepaziņotus lēmumus un "
        "konkursus, kuru rezultāti nav publicēti."
    ),
    time_basis=_("Konkursa gads."),
)
CENTRES = Figure(
    key="centres",
    label=_("kopienu resursu centri"),
    definition=_("Kopienu resursu centri, kuru lapas ir publicētas šajā vietnē."),
    counts=_("Publicētus resursu centrus."),
    leaves_out=_("Nepublicētus centrus."),
    time_basis=_(
        "Bez gadu dalījuma: platformā nav ierakstīts, kad katrs centrs atvērts, un datums, kad "
        "centrs pievienots vietnei, to neapraksta."
    ),
    by_year=False,
    by_place=False,
)
VOLUNTEERS = Figure(
    key="volunteers",
    label=_("brīvprātīgie iesaistīti"),
    definition=_(
        "Brīvprātīgo skaits publicēto iniciatīvu atskaitēs. Cilvēks, kurš palīdzējis divās "
        "iniciatīvās, ir saskaitīts divreiz."
    ),
    counts=_("Publicēto iniciatīvu atskaitēs norādīto brīvprātīgo skaitu."),
    leaves_out=_("Nepublicētas iniciatīvas un nepublicētu kopienu iniciatīvas."),
    time_basis=_("Iniciatīvas gads."),
)
BOOKED_HOURS = Figure(
    key="booked_hours",
    label=_("stundas rezervēts centru aprīkojums un telpas"),
    definition=_(
        "Cik stundu centru aprīkojums un telpas ir rezervētas un rezervācijas apstiprinātas: "
        "no rezervācijas sākuma līdz beigām, bez pārtraukuma pēc tās. Skaitītas arī "
        "apstiprinātās nākamo dienu rezervācijas."
    ),
    counts=_("Apstiprināto rezervāciju ilgumu publicētos centros, noapaļotu līdz stundām."),
    leaves_out=_(
        "Gaidošas, noraidītas un atceltas rezervācijas un tās, kurās cilvēks neieradās. Pēc "
        "kopienām nav dalīts: rezervē cilvēks, nevis kopiena."
    ),
    time_basis=_("Rezervācijas sākuma datums Rīgas laikā."),
    by_community=False,
)

# In the order the pages show them.
FIGURES: tuple[Figure, ...] = (
    PARTICIPANTS,
    INSTITUTIONS,
    INITIATIVES,
    TRAININGS,
    ROUNDS,
    SUPPORTED_IDEAS,
    CENTRES,
    VOLUNTEERS,
    BOOKED_HOURS,
)
BY_KEY = {figure.key: figure for figure in FIGURES}
# The home page's figures: the brochure's seven.
HEADLINE = (
    "participants",
    "institutions",
    "initiatives",
    "trainings",
    "rounds",
    "supported_ideas",
    "centres",
)


def reach_written(value: int) -> str:
    """Reach of one target group: "mazāk nekā 5" for fewer than five people (none included),
    else the count, by the one rule the initiatives' pages follow too."""
    return reach_text(value)
