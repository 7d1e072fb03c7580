"""The first version of the capacity self-assessment instrument: what each of the four levels
means for each of the eight dimensions (the brochure's "kopienu rīcībspēja"), keyed by the
dimension's slug in the Latgale data. Coordinators edit later versions in the admin; these texts
only seed version 1 when there is no instrument yet."""

FIRST_INSTRUMENT: dict[str, tuple[str, str, str, str]] = {
    "lidzdarbosanas": (
        "Sākums: kopīgos darbos piedalās tie paši daži cilvēki; pārmaiņas (skolas slēgšana, "
        "jauns novads) kopiena vēro no malas.",
        "Attīstība: talkās un pasākumos iesaistās vairāk cilvēku, bet tikai tad, kad kāds viņus "
        "personīgi uzrunā; uz pārmaiņām kopiena reaģē, kad tās jau notikušas.",
        "Stabila: iedzīvotāji paši piesakās darbiem, arī jaunieši un ģimenes ar bērniem; "
        "kopiena laikus apspriež gaidāmās pārmaiņas un meklē, kā tām pielāgoties.",
        "Spēcīga: līdzdarbojas dažādas paaudzes un grupas; kopiena pārmaiņas izmanto kā "
        "iespēju un pati ierosina jaunus risinājumus.",
    ),
    "potenciala-realizacija": (
        "Sākums: cilvēku prasmes un intereses nav zināmas; nav vietas, kur tās parādīt vai "
        "attīstīt.",
        "Attīstība: dažiem ir iespēja vadīt nodarbību vai pulciņu, bet tā ir nejaušība, nevis "
        "kopienas ieradums.",
        "Stabila: kopiena zina savu cilvēku prasmes un piedāvā telpas, laiku un atbalstu "
        "interešu grupām, arī mazāk aktīvajām.",
        "Spēcīga: katrs, kurš vēlas, atrod vietu savām idejām; grupas pašas rīko nodarbības, "
        "un viņu pieredze noder arī citām kopienām.",
    ),
    "iesaiste-lemumos": (
        "Sākums: lēmumus par apkārtni pieņem citi; iedzīvotāji par tiem uzzina pēc tam.",
        "Attīstība: kopiena dažreiz sniedz viedokli pašvaldībai vai iestādēm, parasti tad, kad "
        "to lūdz.",
        "Stabila: kopiena regulāri sadarbojas ar pašvaldību, skolu un uzņēmējiem un tiek "
        "uzklausīta pirms lēmumiem, kas to skar.",
        "Spēcīga: kopiena ir atzīta partnere; tā pati ierosina jautājumus, vienojas ar "
        "partneriem un kopā ar tiem īsteno lēmumus.",
    ),
    "dzives-limenis": (
        "Sākums: kopiena nav runājusi par to, kā tās cilvēki vēlas dzīvot, un neredz, ko pati "
        "var mainīt.",
        "Attīstība: kopiena zina dažas svarīgākās vajadzības un ir paveikusi pa kādam nelielam "
        "uzlabojumam.",
        "Stabila: kopiena ir vienojusies par savām vajadzībām un ar iniciatīvām, projektiem un "
        "pakalpojumiem pakāpeniski uzlabo ikdienas dzīvi.",
        "Spēcīga: kopiena pastāvīgi rada pakalpojumus, darbavietas vai ienākumus, kas "
        "cilvēkiem ļauj dzīvot tā, kā viņi vēlas, un piesaista tam līdzekļus.",
    ),
    "organizeta-darbiba": (
        "Sākums: kopienas darbi notiek reizēm un neplānoti; nav, kas tos organizē.",
        "Attīstība: ir neformāla grupa, kas rīko pasākumus, bet plānu un pienākumu sadalījuma "
        "vēl nav.",
        "Stabila: kopienai ir sava organizācija vai darba grupa, gada plāns un skaidri "
        "sadalīti pienākumi; tā raksta un īsteno projektus.",
        "Spēcīga: kopiena darbojas ilgtspējīgi, pārvalda savu resursu centru, piesaista "
        "finansējumu un izvērtē paveikto.",
    ),
    "lideri": (
        "Sākums: kopienā nav neviena, kas uzņemas iniciatīvu, vai visu nes viens cilvēks.",
        "Attīstība: ir viens vai divi līderi, bet bez viņiem darbs apstājas.",
        "Stabila: kopienā ir vairāki līderi, kuri dala atbildību un iedrošina citus.",
        "Spēcīga: līderi aug no dažādām grupām, arī no jauniešiem; kopiena apzināti sagatavo "
        "jaunus līderus un nomaiņa darbu neaptur.",
    ),
    "uzticiba": (
        "Sākums: cilvēki maz pazīst cits citu un citu idejām neuzticas.",
        "Attīstība: tie, kas kopā strādā, uzticas cits citam, bet jaunpienācēji un citas "
        "grupas paliek malā.",
        "Stabila: iedzīvotāji cits uz citu paļaujas, dalās ar resursiem un kopā risina "
        "domstarpības.",
        "Spēcīga: uzticība sniedzas pāri grupām un paaudzēm; kopienai uzticas arī iestādes un "
        "partneri.",
    ),
    "komunikacija": (
        "Sākums: informācija izplatās nejauši, no mutes mutē; daudzi par notikumiem uzzina pēc "
        "tam.",
        "Attīstība: kopienai ir viens saziņas kanāls (sociālo tīklu grupa, ziņojumu dēlis), bet "
        "tas nesasniedz visus.",
        "Stabila: kopiena regulāri informē visus iedzīvotājus vairākos veidos un uzklausa "
        "atgriezenisko saiti.",
        "Spēcīga: saziņa ir divvirzienu un sasniedz arī mazāk aktīvās grupas; kopiena stāsta "
        "par sevi arī ārpus savas teritorijas.",
    ),
}
