"""The words of the demo initiatives: what the communities did on their own, where, with whom,
and the templates their stories are told in. `initiatives` turns them into records.

Every institution is named as Latgale's own are named (a parish's administration, library and
culture house, the schools, museums, parishes of the church and associations of each place);
they are sample names, placed near the community that names them.
"""

from dataclasses import dataclass

# Target groups and model elements by their slugs (communities' fixtures).
YOUTH, MEN, MINORITIES, FAMILIES = (
    "neredzamie-jauniesi",
    "viriesi-35",
    "mazakumtautibas",
    "gimenes-ar-berniem",
)
SMALL = "mazas-kopienu-iniciativas"
LESS_ACTIVE = "mazak-aktivo-grupu-motivesana"
FAMILY = "gimenu-iesaistisana"
PUBLICITY = "publicitate"
AGREEMENT = "vienosanas-ar-pasvaldibu"
LEADERS = "lideru-stiprinasana"
TRAINING = "macibas-kopienam"
EXPERTS = "ekspertu-konsultacijas"


@dataclass(frozen=True)
class Activity:
    """One kind of initiative a community carried out on its own; `month` is when."""

    title: str
    month: int
    groups: tuple[str, ...]
    elements: tuple[str, ...]
    summary: str
    done: str
    results: str
    next_steps: str


ACTIVITIES = [
    Activity(
        "Pavasara talka pie ezera",
        4,
        (MEN, FAMILIES),
        (PUBLICITY,),
        "Kaimiņi kopā sakopa ezera krastu, savāca atkritumus un salaboja peldvietas laipu.",
        "Sarīkojām divas talkas: savācām atkritumus ezera krastā un salabojām peldvietas laipu.",
        "Sakopts krasts, salabota laipa, savākti vairāk nekā trīsdesmit maisu atkritumu.",
        "Rudenī rīkosim vēl vienu talku un iestādīsim krastā kokus.",
    ),
    Activity(
        "Ģimeņu sporta diena",
        6,
        (FAMILIES, YOUTH),
        (FAMILY,),
        "Sporta diena, kurā vecāki un bērni sacenšas vienās komandās.",
        "Sagatavojām stafetes un spēles, sarīkojām sporta dienu un noslēgumā kopīgu zupas galdu.",
        "Piedalījās ģimenes, kuras kopienas pasākumos līdz šim nebijām redzējuši.",
        "Sporta diena kļūs par ikgadēju tradīciju; nākamgad pievienosim orientēšanās spēli.",
    ),
    Activity(
        "Jauniešu velobrauciens",
        7,
        (YOUTH,),
        (LESS_ACTIVE,),
        "Jaunieši paši izplānoja maršrutu pa apkārtnes ceļiem un vadīja braucienu.",
        "Jaunieši izvēlējās maršrutu, salaboja velosipēdus un vadīja divu dienu braucienu.",
        "Jaunieši paši uzņēmās organizēšanu; trīs no viņiem tagad palīdz kopienas pasākumos.",
        "Jaunieši plāno rudens braucienu un velosipēdu remonta darbnīcu.",
    ),
    Activity(
        "Paaudžu sarunu vakari",
        11,
        (YOUTH, MINORITIES),
        (LESS_ACTIVE,),
        "Seniori un jaunieši tiekas pie tējas un stāsta par savu dzīvi ciemā.",
        "Sarīkojām četrus sarunu vakarus; jaunieši ierakstīja senioru stāstus.",
        "Ierakstīti divpadsmit stāsti, kas glabāsies bibliotēkā.",
        "Stāstus apkoposim grāmatiņā un rādīsim skolā.",
    ),
    Activity(
        "Ziemassvētku tirdziņš",
        12,
        (FAMILIES, MINORITIES),
        (PUBLICITY,),
        "Vietējie amatnieki, saimnieces un skolēni tirgo savus darinājumus un cienājumus.",
        "Sarunājām tirgotājus, izrotājām laukumu un sarīkojām tirdziņu ar koncertu.",
        "Tirdziņā piedalījās vietējie amatnieki un saimnieces; ieņēmumi palika ciemā.",
        "Nākamgad tirdziņu rīkosim divas dienas un aicināsim kaimiņu pagastus.",
    ),
    Activity(
        "Latgaliešu dziesmu vakari",
        2,
        (MINORITIES, MEN),
        (LESS_ACTIVE,),
        "Vakari, kuros dziedam latgaliešu dziesmas un mācāmies tās no vecākajiem.",
        "Sarīkojām trīs dziesmu vakarus ar vietējo muzikantu pavadījumu.",
        "Iemācījāmies desmit dziesmas; izveidojās neliels kopienas ansamblis.",
        "Ansamblis uzstāsies pagasta svētkos.",
    ),
    Activity(
        "Vīru darbnīca: soliņi parkam",
        5,
        (MEN,),
        (LESS_ACTIVE,),
        "Vīri pēc 35 gadiem kopā izgatavoja un uzstādīja soliņus ciema parkā.",
        "Piecos darba vakaros izgatavojām un uzstādījām sešus soliņus.",
        "Parkā ir seši jauni soliņi; vīri turpina tikties darbnīcā.",
        "Izgatavosim galdu un nojumi pie sporta laukuma.",
    ),
    Activity(
        "Rotaļu laukuma atjaunošana",
        8,
        (FAMILIES,),
        (FAMILY, AGREEMENT),
        "Vecāki kopā ar pagastu atjaunoja bērnu rotaļu laukumu.",
        "Vienojāmies ar pagastu par materiāliem, nokrāsojām un salabojām rotaļu elementus.",
        "Laukums ir drošs un kopts; vecāki sarunājuši to pieskatīt pēc kārtas.",
        "Pagasts apsolīja nākamgad uzstādīt jaunas šūpoles.",
    ),
    Activity(
        "Kopienas dārzs pie skolas",
        5,
        (FAMILIES, YOUTH),
        (FAMILY,),
        "Skolēni, vecāki un kaimiņi iekopj dārzu, kur audzē dārzeņus un garšaugus.",
        "Izveidojām sešas dobes, iestādījām dārzeņus un vasarā pēc kārtas laistījām.",
        "Rudenī ražu izmantoja skolas virtuvē; dārzu kopj arī vasarā.",
        "Uzbūvēsim siltumnīcu un aicināsim pievienoties senioru biedrību.",
    ),
    Activity(
        "Makšķerēšanas sacensības ģimenēm",
        7,
        (MEN, FAMILIES),
        (FAMILY,),
        "Sacensības, kurās tēvi un bērni makšķerē vienā komandā.",
        "Sagatavojām krastu, sarīkojām sacensības un zivju zupas vārīšanu.",
        "Atnāca daudzi tēvi, kuri kopienas pasākumos parasti nepiedalās.",
        "Nākamgad sacensības rīkosim arī ziemā uz ledus.",
    ),
    Activity(
        "Jāņu ielīgošana",
        6,
        (MEN, MINORITIES, FAMILIES),
        (PUBLICITY,),
        "Visa ciema Jāņu ielīgošana ar dziesmām, vainagiem un ugunskuru.",
        "Pinām vainagus, dziedājām līgo dziesmas un kopā sagaidījām saullēktu.",
        "Svētkos satikās vairākas paaudzes un dažādu tautību kaimiņi.",
        "Tradīciju turpināsim; nākamgad aicināsim arī kaimiņu ciemu.",
    ),
    Activity(
        "Rokdarbu pulciņš",
        10,
        (MINORITIES,),
        (LESS_ACTIVE,),
        "Pulciņš, kurā adām, tamborējam un mācāmies cita no citas.",
        "Rudenī un ziemā tikāmies katru ceturtdienu; sarīkojām darbu izstādi.",
        "Pulciņā darbojas sievietes, kuras iepriekš kopienas dzīvē nepiedalījās.",
        "Darbus dāvināsim pansionāta iemītniekiem Ziemassvētkos.",
    ),
    Activity(
        "Kaimiņu virtuves diena",
        9,
        (MINORITIES, FAMILIES),
        (LESS_ACTIVE,),
        "Dažādu tautību kaimiņi gatavo savus ēdienus un dalās receptēs.",
        "Gatavojām latgaliešu, krievu un baltkrievu ēdienus un pierakstījām receptes.",
        "Sastādīta receptu lapa; kaimiņi iepazinās tuvāk.",
        "Receptes izdosim nelielā grāmatiņā.",
    ),
    Activity(
        "Ciema atmiņu foto izstāde",
        3,
        (MINORITIES, MEN),
        (PUBLICITY,),
        "Iedzīvotāju vecās fotogrāfijas izstādē par ciema vēsturi.",
        "Savācām un ieskenējām vecās fotogrāfijas, sarīkojām izstādi un atmiņu vakaru.",
        "Savākti vairāk nekā simts attēlu; izstādi apmeklēja visa ciema ļaudis.",
        "Attēlus nodosim muzejam un izveidosim digitālu albumu.",
    ),
    Activity(
        "Jauniešu kino vakari",
        1,
        (YOUTH,),
        (LESS_ACTIVE,),
        "Jaunieši paši izvēlas filmas un vada sarunu pēc seansa.",
        "Sarīkojām piecus kino vakarus; pēc katra jaunieši vadīja sarunu.",
        "Jaunieši, kuri iepriekš nekur neiesaistījās, tagad paši plāno vakarus.",
        "Vasarā rīkosim brīvdabas seansu.",
    ),
    Activity(
        "Galda spēļu vakari",
        2,
        (YOUTH, FAMILIES),
        (FAMILY,),
        "Galda spēļu vakari bērniem, vecākiem un vecvecākiem.",
        "Iegādājāmies galda spēles un sarīkojām sešus spēļu vakarus.",
        "Spēļu vakaros regulāri satiekas trīs paaudzes.",
        "Spēles būs pieejamas bibliotēkā arī ārpus vakariem.",
    ),
    Activity(
        "Putnu būrīšu darbnīca",
        3,
        (FAMILIES, MEN),
        (FAMILY,),
        "Tēvi un bērni kopā izgatavo putnu būrīšus.",
        "Divās darbnīcās izgatavojām būrīšus un kopā tos izvietojām mežmalā.",
        "Izvietoti četrdesmit būrīši; bērni pavasarī vēroja, kuri putni tajos apmetas.",
        "Sarīkosim putnu vērošanas pārgājienu.",
    ),
    Activity(
        "Tautas bumbas turnīrs",
        8,
        (YOUTH, MEN),
        (LESS_ACTIVE,),
        "Turnīrs, kurā spēlē jauniešu un pieaugušo komandas.",
        "Sagatavojām laukumu un sarīkojām turnīru ar astoņām komandām.",
        "Turnīrā spēlēja jaunieši, kuri citādi vakarus pavada vieni.",
        "Turnīrs notiks katru vasaru.",
    ),
    Activity(
        "Kopienas tikšanās ar pašvaldību",
        9,
        (MEN, MINORITIES),
        (AGREEMENT, LEADERS),
        "Kopienas pārstāvji un pašvaldība pārrunā ciema vajadzības.",
        "Sagatavojām jautājumus, sarīkojām tikšanos un pierakstījām vienošanos.",
        "Panākta vienošanās par ceļa apgaismojumu un telpu kopienas vajadzībām.",
        "Tiksimies ar pašvaldību reizi pusgadā.",
    ),
    Activity(
        "Pastaigu takas marķēšana",
        5,
        (MEN, YOUTH),
        (AGREEMENT,),
        "Kopiena iezīmēja pastaigu taku apkārt ciemam.",
        "Saskaņojām maršrutu ar zemes īpašniekiem, uzstādījām norādes un informācijas stendu.",
        "Iezīmēta piecus kilometrus gara taka; to izmanto arī skola.",
        "Takā ierīkosim atpūtas vietu.",
    ),
    Activity(
        "Ražas svētki",
        9,
        (FAMILIES, MINORITIES),
        (PUBLICITY,),
        "Rudens svētki, kuros saimnieki dalās ražā un receptēs.",
        "Sarīkojām ražas izstādi, tirdziņu un kopīgu maltīti.",
        "Svētkos piedalījās vietējie saimnieki, skola un kaimiņu ģimenes.",
        "Nākamgad pievienosim ražas konkursu bērniem.",
    ),
    Activity(
        "Pirmās palīdzības mācības kaimiņiem",
        3,
        (MEN, FAMILIES),
        (TRAINING, EXPERTS),
        "Kaimiņi mācās sniegt pirmo palīdzību pie pieredzējuša instruktora.",
        "Sarīkojām divas nodarbības ar instruktoru; katrs izmēģināja atdzīvināšanu.",
        "Pirmās palīdzības pamatus apguva gan jaunieši, gan seniori.",
        "Iegādāsimies aptieciņu kopienas telpām.",
    ),
    Activity(
        "Digitālo prasmju nodarbības senioriem",
        10,
        (MINORITIES,),
        (TRAINING,),
        "Skolēni māca senioriem lietot viedtālruni un e-pakalpojumus.",
        "Sarīkojām sešas nodarbības; skolēni palīdzēja katram individuāli.",
        "Seniori prot sazināties ar tuviniekiem video zvanā un lietot e-pakalpojumus.",
        "Nodarbības turpināsies bibliotēkā reizi mēnesī.",
    ),
    Activity(
        "Sporta laukuma talka",
        5,
        (YOUTH, MEN),
        (AGREEMENT,),
        "Jaunieši un vīri kopā ar pagastu sakopa sporta laukumu.",
        "Vienojāmies ar pagastu par materiāliem, nomainījām grozus un nokrāsojām soliņus.",
        "Laukums atkal ir lietojams; vakaros tajā spēlē jaunieši.",
        "Vasarā rīkosim strītbola turnīru.",
    ),
]

# Where each community is, in the locative: "Pavasara talka pie ezera Sakstagalā".
LOCATIVES = {
    "aglona": "Aglonā",
    "dagda": "Dagdā",
    "daugavpils": "Daugavpilī",
    "ilukste": "Ilūkstē",
    "kraslava": "Krāslavā",
    "nautreni": "Nautrēnos",
    "preili": "Preiļos",
    "priezmale": "Priežmalē",
    "sakstagals": "Sakstagalā",
    "varkava": "Vārkavā",
    "zilupe": "Zilupē",
}

MONTHS_LOCATIVE = [
    "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā",
    "jūlijā", "augustā", "septembrī", "oktobrī", "novembrī", "decembrī",
]  # fmt: skip

# The parishes around each community, in the genitive ("Ozolaines pagasta pārvalde").
PARISHES = {
    "sakstagals": [
        "Sakstagala",
        "Ozolaines",
        "Kaunatas",
        "Lūznavas",
        "Gaigalavas",
        "Dricānu",
        "Maltas",
    ],
    "nautreni": [
        "Nautrēnu",
        "Ilzeskalna",
        "Bērzgales",
        "Rikavas",
        "Audriņu",
        "Stružānu",
        "Mākoņkalna",
    ],
    "preili": ["Preiļu", "Aizkalnes", "Pelēču", "Saunas", "Riebiņu", "Galēnu", "Rušonas"],
    "aglona": [
        "Aglonas",
        "Grāveru",
        "Kastuļinas",
        "Šķeltovas",
        "Silajāņu",
        "Stabulnieku",
        "Sīļukalna",
    ],
    "daugavpils": ["Naujenes", "Kalkūnes", "Vaboles", "Līksnas", "Salienas"],
    "varkava": ["Vārkavas", "Upmalas", "Rožkalnu", "Sutru", "Rudzātu", "Jersikas", "Turku"],
    "zilupe": ["Lauderu", "Pasienes", "Istras", "Pildas", "Nirzas", "Briģu", "Cirmas"],
    "dagda": [
        "Dagdas",
        "Andzeļu",
        "Asūnes",
        "Bērziņu",
        "Ezernieku",
        "Šķaunes",
        "Svariņu",
        "Ķepovas",
    ],
    "ilukste": ["Bebrenes", "Dvietes", "Eglaines", "Pilskalnes", "Prodes", "Šēderes", "Subates"],
    "priezmale": ["Kaplavas", "Kalniešu", "Piedrujas", "Indras", "Skaistas", "Robežnieku"],
    "kraslava": ["Aulejas", "Izvaltas", "Kombuļu", "Ūdrīšu", "Konstantinovas", "Andrupenes"],
}
CULTURE_HOUSES = ["tautas nams", "kultūras nams", "saieta nams"]

# The schools, museums, church parishes, associations and municipal bodies of each place.
# A municipality's own bodies are named by the communities of several places.
PLACES = {
    "sakstagals": [
        "Rēzeknes novada pašvaldība",
        "Sakstagala Jāņa Klīdzēja pamatskola",
        "Sakstagala Romas katoļu draudze",
        "Biedrība „Sakstagala kopiena”",
        "Rēzeknes novada sociālais dienests",
        "Latgales Kultūrvēstures muzejs",
        "Zemnieku saimniecība „Kalnāji”",
    ],
    "nautreni": [
        "Rēzeknes novada pašvaldība",
        "Nautrēnu vidusskola",
        "Biedrība „Nautrēnu seniori”",
        "Rogovkas sporta klubs",
        "Biedrība „Rogovkas jaunieši”",
        "Ilzeskalna pamatskola",
        "Rēzeknes Tehnoloģiju akadēmija",
    ],
    "preili": [
        "Preiļu novada pašvaldība",
        "Preiļu bibliotēka",
        "Preiļu Valsts ģimnāzija",
        "Preiļu 1. pamatskola",
        "Preiļu Bērnu un jauniešu centrs",
        "Preiļu vēstures un lietišķās mākslas muzejs",
        "Preiļu novada Kultūras centrs",
        "Preiļu sporta skola",
        "Biedrība „Preiļu novada uzņēmēji”",
        "Preiļu Romas katoļu draudze",
    ],
    "aglona": [
        "Preiļu novada pašvaldība",
        "Aglonas vidusskola",
        "Aglonas Maizes muzejs",
        "Aglonas bērnu un jauniešu centrs",
        "Aglonas kultūras centrs",
        "Biedrība „Aglonas jauniešu klubs”",
        "Aglonas bazilikas draudze",
    ],
    "daugavpils": [
        "Daugavpils valstspilsētas pašvaldība",
        "Daugavpils 9. vidusskola",
        "Daugavpils Valsts ģimnāzija",
        "Latgales Centrālā bibliotēka",
        "Daugavpils Novadpētniecības un mākslas muzejs",
        "Daugavpils Universitāte",
        "Daugavpils Bērnu un jauniešu centrs „Jaunība”",
        "Daugavpils pilsētas pašvaldības policija",
        "Klubs „Mezgls”",
        "Biedrība „Dinaburgas kaimiņi”",
        "Daugavpils Sv. Borisa un Gļeba pareizticīgo draudze",
    ],
    "varkava": [
        "Preiļu novada pašvaldība",
        "Vārkavas vidusskola",
        "Vārkavas pagasta pārvalde",
        "Biedrība „Vārkavas kopiena”",
        "Vārkavas Romas katoļu draudze",
        "Zemnieku saimniecība „Ābeļdārzi”",
    ],
    "zilupe": [
        "Ludzas novada pašvaldība",
        "Zilupes vidusskola",
        "Zilupes Mūzikas un mākslas skola",
        "Zilupes kultūras nams",
        "Zilupes pilsētas bibliotēka",
        "Zilupes pareizticīgo draudze",
        "Biedrība „Zilupes seniori”",
        "Ludzas novada Zilupes apvienības pārvalde",
    ],
    "dagda": [
        "Krāslavas novada pašvaldība",
        "Dagdas vidusskola",
        "Dagdas Kultūras centrs",
        "Dagdas pilsētas bibliotēka",
        "Dagdas mūzikas un mākslas skola",
        "Biedrība „Dagdas jauniešu centrs”",
        "Dagdas Romas katoļu draudze",
    ],
    "ilukste": [
        "Augšdaugavas novada pašvaldība",
        "Ilūkstes Raiņa vidusskola",
        "Ilūkstes pilsētas bibliotēka",
        "Ilūkstes kultūras nams",
        "Ilūkstes novadpētniecības muzejs",
        "Sēlijas prasmju muzejs",
        "Biedrība „Sēlijas kopiena”",
        "Ilūkstes sporta skola",
    ],
    "priezmale": [
        "Krāslavas novada pašvaldība",
        "Priežmales bibliotēka",
        "Biedrība „Priežmales kopiena”",
        "Kastuļinas pagasta pārvalde",
        "Krāslavas novada Izglītības pārvalde",
        "Krāslavas novada sociālais dienests",
        "Indras pamatskola",
        "Biedrība „Kaplavas jaunieši”",
    ],
    "kraslava": [
        "Krāslavas novada pašvaldība",
        "Krāslavas Valsts ģimnāzija",
        "Krāslavas Varavīksnes vidusskola",
        "Krāslavas vēstures un mākslas muzejs",
        "Krāslavas novada Centrālā bibliotēka",
        "Krāslavas kultūras nams",
        "Krāslavas jauniešu centrs",
        "Krāslavas mazpulks",
        "Krāslavas Romas katoļu draudze",
        "Biedrība „Dzīvesprieks”",
    ],
}


def institution_pool(slug: str) -> list[str]:
    """The institutions near community `slug`, the place's own first, then its parishes'."""
    names = list(PLACES[slug])
    for index, parish in enumerate(PARISHES[slug]):
        names += [
            f"{parish} pagasta pārvalde",
            f"{parish} pagasta bibliotēka",
            f"{parish} {CULTURE_HOUSES[index % len(CULTURE_HOUSES)]}",
        ]
    return names


# The team's story: {community}, {month}, {people}, {volunteers}, {partner}, {done},
# {results}. Counts stand where the word form does not depend on the number ("bijām 21").
STORIES = [
    (
        "Ideja radās kopienas sapulcē: gribējām kaut ko paveikt paši, tepat pie mums. "
        "{month_cap} sanācām kopā. {done} Kopā bijām {people}, no tiem {volunteers} palīdzēja "
        "brīvprātīgi. Paldies, ka mūs atbalstīja {partner}. Visvairāk priecājamies, ka "
        "atnāca arī tie, kurus kopienas pasākumos redzam reti."
    ),
    (
        "Viss sākās ar dažiem cilvēkiem, kuriem rūpēja, kas notiek viņu ciemā. {done} "
        "{results} Darbs ritēja {month}, un kopā bijām {people}. Bez brīvprātīgajiem "
        "(viņu bija {volunteers}) un bez tā, ka mums palīdzēja {partner}, tas nebūtu izdevies. "
        "— {community}"
    ),
    (
        "Mēs, {community}, gribējām parādīt, ka arī mazā vietā var daudz. {done} {results} "
        "Kopā bijām {people}. Līdz šim daudzi no mums viens otru pazina tikai no redzes; "
        "tagad satiekamies arī bez iemesla. Īpašs paldies: {partner}."
    ),
    (
        "Kad {month} ķērāmies pie darba, nezinājām, cik cilvēku atsauksies. Atsaucās {people}! "
        "{done} Palīdzēja {partner}, un brīvprātīgie (viņu bija {volunteers}) uzņēmās lielāko "
        "darba daļu. "
        "{results}"
    ),
]


# The leader of each community who records its own initiatives (Preiļi has the demo activist,
# aktiviste@example.lv, as its leader already): given name, surname.
LEADERS_BY_COMMUNITY = {
    "aglona": ("Inese", "Līdere"),
    "dagda": ("Valdis", "Līderis"),
    "daugavpils": ("Irina", "Līdere"),
    "ilukste": ("Rita", "Līdere"),
    "kraslava": ("Andris", "Līderis"),
    "nautreni": ("Skaidrīte", "Līdere"),
    "priezmale": ("Pēteris", "Līderis"),
    "sakstagals": ("Marta", "Līdere"),
    "varkava": ("Edīte", "Līdere"),
    "zilupe": ("Nikolajs", "Līderis"),
}
