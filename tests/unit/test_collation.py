"""Vietnamese alphabetical order for place names (catalog/collation.py)."""

from catalog.collation import place_name, place_sort_key, sort_key


def test_place_names_sort_in_the_vietnamese_alphabet_without_their_prefix():
    names = [
        "Cao Bằng",
        "Thành phố Hà Nội",
        "Cà Mau",
        "Đắk Lắk",
        "Điện Biên",
        "Tây Ninh",
        "An Giang",
        "Huế",
        "Hưng Yên",
    ]
    assert sorted(names, key=place_sort_key) == [
        "An Giang",
        "Cà Mau",  # "Cà" before "Cao": letters first, tones after
        "Cao Bằng",
        "Đắk Lắk",  # Đ is its own letter, after D
        "Điện Biên",
        "Thành phố Hà Nội",  # under H
        "Huế",
        "Hưng Yên",  # ư after u
        "Tây Ninh",
    ]


def test_prefixes_are_skipped_and_letters_with_marks_follow_their_base():
    assert place_name("Thành phố Hồ Chí Minh") == "Hồ Chí Minh"
    assert place_name("Xã Đạ Huoai") == "Đạ Huoai" and place_name("Phường Xuân Hương - Đà Lạt") == "Xuân Hương - Đà Lạt"
    assert place_name("Tỉnh") == "Tỉnh"  # a prefix alone is a name
    words = ["Ơn", "Ôn", "On", "Ăn", "An", "Ân", "Bê"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Bê", "On", "Ôn", "Ơn"]
