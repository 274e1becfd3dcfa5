"""The text parsing the rules share (fidelity.rules.parsing): figures, dates, quotes, scripts, name keys."""

from __future__ import annotations

from fidelity.rules.parsing import consonant_skeleton, equivalents, numbers, quotes, script, translit_key


def _values(text: str) -> list[float]:
    return [v for v, _, _ in numbers(text)]


def test_digits_words_and_multipliers_are_one_figure_each() -> None:
    assert _values("5,000 troops, 5000 troops, five thousand troops, 2.5 million") == [5000.0, 5000.0, 5000.0, 2_500_000.0]
    assert _values("twenty five, a dozen eggs") == [25.0, 12.0]
    text = "sending 5,000 troops"
    (value, start, end), = numbers(text)
    assert value == 5000.0 and text[start:end] == "5,000"


def test_equivalents_are_the_ways_a_figure_may_be_written() -> None:
    text = "at 6 p.m., 50% of them, 1.2 km, the 1990s"
    figures = numbers(text)
    assert 18.0 in equivalents(text, figures[0])
    assert 0.5 in equivalents(text, figures[1])
    assert 1200.0 in equivalents(text, figures[2])
    assert 90.0 in equivalents(text, figures[3])


def test_quotes_are_the_text_inside_the_marks() -> None:
    text = "He said “we are ready” and «nous partons», then 'a longer quote here'."
    assert [q.text for q in quotes(text)] == ["we are ready", "nous partons", "a longer quote here"]
    assert all(text[q.start : q.end] == q.text for q in quotes(text))
    assert quotes("it's Tom's") == []


def test_script_of_a_letter() -> None:
    assert [script(ch) for ch in "aΆжあ漢"] == ["LATIN", "GREEK", "CYRILLIC", "CJK", "CJK"]


def test_romanisations_of_one_name_share_a_key() -> None:
    assert translit_key("Yeltsin") == translit_key("Jeltsin")
    assert translit_key("Harbour") == translit_key("Harbor")
    assert translit_key("Öresund") == translit_key("Øresund")
    assert consonant_skeleton(translit_key("Chernobyl")) == consonant_skeleton(translit_key("Chornobyl"))
    assert consonant_skeleton(translit_key("Pellegrini")) != consonant_skeleton(translit_key("Pelegrinni"))


def test_reciprocal_one_and_another_one() -> None:
    # "one another" counts nothing; "one of them" and "another one" are each a one
    assert numbers("they talk with one another") == []
    assert [v for v, _, _ in numbers("one of them met another one")] == [1.0, 1.0]


def test_decimal_commas_glued_units_and_hours_with_minutes_are_read_as_figures() -> None:
    assert [v for v, _, _ in numbers("around 84,4 million people and 2,5 km")] == [84_400_000.0, 2.5]
    assert [v for v, _, _ in numbers("a 1,642 m lake, 50.000 seats, 3,776m high, an M7.6 quake")] == [1642.0, 50.0, 3776.0, 7.6]
    assert [v for v, _, _ in numbers("it takes 2 hours 30 minutes, or 2 hours and 15 minutes")] == [2.5, 2.25]


def test_units_of_time_lakh_crore_and_shortened_year_ranges() -> None:
    assert [v for v, _, _ in numbers("in 1875–76, 2 crore and 12 lakh people, over the next decade")] == [1875.0, 1876.0, 20_000_000.0, 1_200_000.0, 10.0]


def test_fractions_of_a_multiplied_figure_midnight_and_every_other() -> None:
    assert [v for v, _, _ in numbers("one and a half million people, 12 midnight, every other year, 2020 and a half of them")] == [1_500_000.0, 0.0, 2.0, 2020.0, 0.5]


def test_numeric_dates_fractions_and_the_common_era() -> None:
    assert [v for v, _, _ in numbers("on 4.4.2023, on 2024-01-23, in 1875-76")] == [4.0, 4.0, 2023.0, 2024.0, 1.0, 23.0, 1875.0, 1876.0]
    # a date's figures join no fraction after them (this raised IndexError: the date is masked)
    assert [v for v, _, _ in numbers("on 4.4.2023 and a half")] == [4.0, 4.0, 2023.0, 0.5]


def test_roman_numerals_of_centuries_and_rulers() -> None:
    assert [v for v, _, _ in numbers("the XVIII century, Louis XIV, World War II, the CIA, Washington DC, Then I went")] == [18.0, 14.0, 2.0]
