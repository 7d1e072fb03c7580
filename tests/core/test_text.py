from core.text import fold, sort_key


def test_fold_drops_case_and_latvian_diacritics():
    assert [fold(word) for word in ["Preiļi", "KRĀSLAVA", "Pī Boņa", "Ģimeņu", "Žanna"]] == [
        "preili",
        "kraslava",
        "pi bona",
        "gimenu",
        "zanna",
    ]


def test_sort_key_gives_latvian_alphabetical_order():
    words = [
        "Dagda",
        "Čiekuri",
        "Cīruļi",
        "Ābeļi",
        "Aglona",
        "Zilupe",
        "Žagari",
        "Ļaudona",
        "Lūznava",
    ]

    assert sorted(words, key=sort_key) == [
        "Ābeļi",  # long vowels sort with their short ones
        "Aglona",
        "Cīruļi",
        "Čiekuri",  # č is a letter of its own, after c
        "Dagda",
        "Lūznava",
        "Ļaudona",
        "Zilupe",
        "Žagari",
    ]
