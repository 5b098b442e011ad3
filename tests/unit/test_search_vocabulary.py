"""The synonym and loanword table (search/vocabulary.csv) and how it expands indexed text."""

import csv

from search import text, vocabulary


def test_every_phrase_is_folded_words_with_a_role():
    with open(vocabulary.PATH, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 40
    for row in rows:
        assert row["phrase"] == " ".join(text.tokens(row["phrase"])), row
        assert row["role"] in vocabulary.ROLES, row
    assert sum(len(c) for c in vocabulary.phrases().values()) == len(rows)


def test_a_document_gets_the_other_phrases_of_its_groups():
    expanded = vocabulary.expand(text.folded_text("Cà phê bột Đắk Đam, sấy mắc-ca"))
    words = expanded.split()
    assert expanded.startswith("ca phe bot dak dam say mac ca ")
    assert {"cafe", "coffee", "fe", "macca", "macadamia"} <= set(words)
    assert "durian" not in words and expanded.count("mac ca") == 1  # what is there is not added again


def test_loanwords_lead_back_to_the_vietnamese_name():
    assert "sau rieng" in vocabulary.expand("durian from gia lai")
    assert "chanh day" in vocabulary.expand("nuoc chanh leo")
    assert "so co la" in vocabulary.expand("socola 70")


def test_hints_and_added_only_phrases():
    # "tra" alone is never looked for: kiểm tra is not tea.
    assert vocabulary.expand("kiem tra chat luong") == "kiem tra chat luong"
    # A hint says the document is about tea; it adds the group's words, not other hints.
    expanded = vocabulary.expand("tra xanh bien ho")
    assert "tea" in expanded.split() and "che" in expanded.split() and "hong tra" not in expanded


def test_a_group_found_more_often_adds_more_often_up_to_a_bound():
    once = vocabulary.expand("ca phe ca cao").split().count("cocoa")
    many = vocabulary.expand(" ".join(["ca cao"] * 10)).split().count("cocoa")
    assert once == 1 and many == vocabulary.MAX_REPEAT


def test_nothing_to_expand():
    assert vocabulary.expand("") == ""
    assert vocabulary.expand("gui may tre nam nung") == "gui may tre nam nung"
