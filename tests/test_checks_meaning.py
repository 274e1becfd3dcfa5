"""Each meaning check on a clear one-sentence case, through the real pipeline with the hashing embedder."""

from __future__ import annotations

from typing import Any

import pytest

from fidelity import nlp
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.extract import extract
from fidelity.pipeline import compare
from fidelity.types import Severity

needs_spacy = pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")
needs_wordnet = pytest.mark.skipif(nlp.wordnet() is None, reason="WordNet (wordnet-base) not installed")

_EMB = CachedEmbedder(HashingEmbedder())


def _rules(original: str, copy: str, min_sev: Severity = Severity.MAJOR, embedder: Any = _EMB) -> dict[str, list[str]]:
    """Rule -> messages of the findings at ``min_sev`` or above. Short reworded pairs need the
    real model (the ``minilm`` fixture): the hashing embedder aligns too few of them."""
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), embedder=embedder)
    out: dict[str, list[str]] = {}
    for f in rep.findings:
        if f.severity >= min_sev:
            out.setdefault(f.rule, []).append(f.message)
    return out


def test_number_changed_and_normalised() -> None:
    assert "number" in _rules("Even sending 5,000 troops to Lithuania is hard for them.", "Even sending 500 troops to Lithuania is hard for them.")
    assert "number" not in _rules("Even sending 5,000 troops to Lithuania is hard for them.", "Even sending five thousand troops to Lithuania is hard for them.")
    assert "number" not in _rules("Even sending 5,000 troops to Lithuania is hard for them.", "Even sending 5000 troops to Lithuania is hard for them.")


@needs_spacy
def test_name_replaced_is_flagged_and_transliteration_is_minor() -> None:
    r = _rules("The minister met Angela Merkel in Berlin on Monday.", "The minister met Angela Schmidt in Berlin on Monday.")
    assert "named-entity" in r
    minor = _rules("Allies of Kyiv met in Paris on Monday to talk.", "Allies of Kiev met in Paris on Monday to talk.", Severity.MINOR)
    assert "named-entity" in minor
    assert "named-entity" not in _rules("Allies of Kyiv met in Paris on Monday to talk.", "Allies of Kiev met in Paris on Monday to talk.")


@needs_spacy
def test_negation_added() -> None:
    assert "negation" in _rules("The trials are monitored closely by rangers.", "The trials are not monitored closely by rangers.")
    assert "negation" not in _rules("I do not know if you realise it.", "I don't know if you realise it.")


@needs_spacy
@needs_wordnet
def test_antonym() -> None:
    assert "antonym" in _rules("Beyond that, Germany's army is too small for this.", "Beyond that, Germany's army is too large for this.")


def test_gender() -> None:
    assert "gender" in _rules("His research showed that hormones help the lungs.", "Her research showed that hormones help the lungs.")
    # a sentence that speaks of a man and a woman: counts, not presence, are compared
    assert "gender" in _rules("He told her that the lungs were healthy.", "She told her that the lungs were healthy.")
    assert "gender" not in _rules("He told her that the lungs were healthy.", "He told her that the lungs were fine.")


@needs_spacy
def test_dropped_subject_pronoun_and_pronoun_case() -> None:
    """A dropped subject pronoun is content even when its letters occur inside another word;
    a pronoun in another form (he -> him) is no drop."""
    assert "dropped-content" in _rules("Then it fell with a crash onto the street.", "Then fell with a crash onto the street.")
    assert "dropped-content" not in _rules("He said that the road was closed.", "Him said that the road was closed.")


@needs_spacy
def test_untranslated_script_and_foreign_words() -> None:
    assert "untranslated" in _rules("And then we might activate the [Article 5] clause.", "And then we might activate the clause [του Άρθρου 5].")
    assert "untranslated" in _rules("Pronunciation is relatively easy in Italian, as most words are spelled as pronounced.", "Pronunciation is relativement easy in Italian, as most words are spelled as pronounced.")


@needs_spacy
def test_quote_altered_and_fabricated() -> None:
    # A translation may reword a quote (minor); a syndicated copy must keep it verbatim (major).
    original = "“We simply don’t have the personnel for a large contingent right now in the east,” Schwarz said."
    reworded = _rules(original, "“We just don’t have staff for a big contingent,” Schwarz said.", Severity.MINOR)
    assert "quote-altered" in reworded and "quote-altered" not in _rules(original, "“We just don’t have staff for a big contingent,” Schwarz said.")
    assert "quote-altered" in _rules(original, original.replace("large", "small"))
    r = _rules("Schwarz said they lacked the personnel for a large contingent.", "Schwarz said “we are finished” and they lacked the personnel for a large contingent.")
    assert "quote-fabricated" in r


@needs_spacy
def test_verbatim_copy_wording_change_is_major_and_typo_is_not() -> None:
    base = "Rangers closely monitor shooters participating in supplemental pest control trials."
    assert _rules(base, "Rangers closely observe shooters participating in supplemental pest control trials.")
    assert not _rules(base, "Rangers closely monitor shooters participating in supplemental pest control trails.")
    assert not _rules(base, "rangers closely monitor shooters participating in supplemental pest control trials")
    assert "wording" in _rules(base, "Do rangers closely monitor shooters participating in supplemental pest control trials?")


@needs_spacy
def test_scrambled_word_order() -> None:
    r = _rules("His research shows that the administration of hormones can accelerate the maturation of the lungs.",
               "Research his the lungs can hormones shows of accelerate of that administration the maturation the.")
    assert "word-order" in r


def test_identical_pair_has_no_findings() -> None:
    text = "Poland is ruling out sending troops to Ukraine, while saying it would help with logistics."
    assert _rules(text, text, Severity.MINOR) == {}


@needs_spacy
def test_systematic_substitution_is_one_finding_with_occurrences() -> None:
    original = "\n".join([
        "The allies will deploy troops to the border next year.",
        "Germany cannot deploy a large force to the east soon.",
        "France wants to deploy ships in the Black Sea now.",
        "Poland said nothing about its plans for the summer.",
    ])
    copy = original.replace("deploy", "develop")
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), embedder=_EMB)
    sys = [f for f in rep.findings if f.rule == "systematic"]
    assert len(sys) == 1
    assert len(sys[0].occurrences) == 3
    for o, c in sys[0].occurrences:
        assert original[o.start : o.end] == "deploy" and copy[c.start : c.end] == "develop"
    assert not [f for f in rep.findings if f.rule == "wording"]


@needs_spacy
def test_systematic_substitution_collects_occurrences_the_word_diff_did_not_line_up() -> None:
    # Once "fund" -> "ban" is established across pairs, a reordered sentence whose two words land in
    # different edits ("the conditions of their funding" -> "the banning conditions") is one more occurrence.
    original = "\n".join([
        "The council will fund the new bridge next year.",
        "The mayor said the council cannot fund a second bridge soon.",
        "Residents want the council to fund repairs to the old bridge.",
        "What would be the conditions of their funding?",
        "Nobody asked about the weather on the river that week.",
    ])
    copy = "\n".join([
        "The council will ban the new bridge next year.",
        "The mayor said the council cannot ban a second bridge soon.",
        "Residents want the council to ban repairs to the old bridge.",
        "What would be their banning conditions?",
        "Nobody asked about the weather on the river that week.",
    ])
    rep = compare(extract("o", text=original, format="lines"), extract("c", text=copy, format="lines"), embedder=_EMB)
    sys = [f for f in rep.findings if f.rule == "systematic"]
    assert len(sys) == 1
    pairs = [(original[o.start : o.end], copy[c.start : c.end]) for o, c in sys[0].occurrences]
    assert pairs == [("fund", "ban")] * 3 + [("funding", "banning")]


def test_cross_lingual_names_negation_paraphrase_and_compounds_are_not_distortions() -> None:
    # A translated name word, a demonym for its place, "not long" said as "shortly", a closed compound.
    assert "named-entity" not in _rules(
        "Check the website of Asociación Argentina de Polo for tickets.",
        "Check the website of the Argentine Polo Association for tickets.",
    )
    assert "negation" not in _rules(
        "Schumacher ended his race not long after Alonso did.",
        "Schumacher ended his race shortly after Alonso did.",
    )
    assert "untranslated" not in _rules(
        "Murray lost the first set in a tie break after both men held serve.",
        "Murray lost the first set in the tiebreak after both men held serve.",
    )
    # ... while a real negation change and a name swapped for another still are.
    assert "negation" in _rules("The trials are monitored by the agency.", "The trials are not monitored by the agency.")


@needs_spacy
def test_recovery_pruning_changes_no_finding() -> None:
    # Skipping the recovery embeddings of pairs whose drift verdict they cannot change must be
    # invisible in the findings: same findings, severities and spans as embedding them all. The
    # score reads the model probability of every pair (score_model_weight), whose recovery
    # features a pruned pair lacks, so it may move by a fraction of a point.
    from fidelity.pipeline import Options
    from fidelity.thresholds import Thresholds

    original = "\n".join([
        "The committee approved the budget after a long debate on Tuesday.",
        "Officials said the new bridge would open to traffic next spring.",
        "Farmers in the north reported a poor harvest because of the drought.",
        "The minister did not comment on the report.",
        "Schools will remain closed until the storm has passed.",
    ])
    copy = "\n".join([
        "After a lengthy discussion on Tuesday, the panel passed the budget.",
        "Officials said the new tunnel could open to cars next summer.",
        "Northern farmers saw a bad harvest due to the dry weather.",
        "The minister commented on the report.",
        "Schools stay shut until the storm is over.",
    ])

    def run(everywhere: bool) -> tuple[float, list[tuple[str, str, str, object, object]], str]:
        options = Options(thresholds=Thresholds(recovery_everywhere=everywhere))
        o, c = extract("o", text=original, format="lines"), extract("c", text=copy, format="lines")
        rep = compare(o, c, options=options, embedder=CachedEmbedder(HashingEmbedder()))
        return rep.score, [(f.rule, f.severity.value, f.message, f.original_span, f.copy_span) for f in rep.findings], rep.signature

    pruned, full = run(False), run(True)
    assert pruned[1] == full[1]
    assert abs(pruned[0] - full[0]) < 0.5
    assert pruned[2] != full[2]  # the switch changes scores, so it is in the signature


def test_reciprocal_one_both_and_restated_figures_are_not_number_changes() -> None:
    # "one another" counts nothing, "both" is two, a figure restated in another unit is not new;
    # a figure that really is new is still reported.
    from fidelity.rules.parsing import numbers

    assert numbers("they talk with one another") == []
    assert [v for v, _, _ in numbers("one of them met another one")] == [1.0, 1.0]
    assert "number" not in _rules(
        "The satellites, both of which weighed a lot, collided above the Earth.",
        "The two satellites, which weighed a lot, collided above the Earth.",
    )
    assert "number" not in _rules(
        "Stay at least 100 yards/meters away from bears and wolves in the park.",
        "Stay at least 100 yards (100 meters) away from bears and wolves in the park.",
    )
    assert "number" in _rules(
        "Stay at least 100 yards away from bears and wolves in the park.",
        "Stay at least 100 yards (300 feet) away from bears and wolves in the park.",
    )


@needs_spacy
@needs_wordnet
def test_synonym_in_near_verbatim_pair_is_minor_hypernym_is_not() -> None:
    # Two independent translations that differ by one WordNet synonym say the same thing;
    # a hypernym (a more general word) loses information and stays at least major.
    assert nlp.synonymous("easy", "ADJ", "simple", "ADJ")
    assert nlp.synonymous("biggest", "ADJ", "largest", "ADJ")
    assert not nlp.synonymous("dog", "NOUN", "animal", "NOUN")
    assert not nlp.synonymous("large", "ADJ", "small", "ADJ")
    base = "Persian has a relatively {} and mostly regular grammar that most learners master in a year."
    assert "wording" not in _rules(base.format("easy"), base.format("simple"))
    pets = "The family kept a {} in the small garden behind the house for many years."
    assert "wording" in _rules(pets.format("dog"), pets.format("animal"))


@needs_spacy
@needs_wordnet
def test_antonym_through_a_synonym_of_the_opposite() -> None:
    # small/large are WordNet antonyms (big's own antonym is little); an original that says "big"
    # (large's synset) is reversed by "small".
    assert "big" not in nlp.antonyms("small", "ADJ")
    assert "antonym" in _rules(
        "The team built a big house near the river last summer.",
        "The team built a small house near the river last summer.",
    )


def test_quote_in_an_added_passage_is_fabricated_unless_the_original_quotes_it() -> None:
    original = "The council met on Monday to discuss the budget.\nThe mayor said “we will not raise taxes this year” after the vote.\nThe meeting ended at noon."
    invented = original + "\nA resident shouted “this council has betrayed every family in town” as it closed."
    r = _rules(original, invented)
    assert any("added passage" in m for m in r.get("quote-fabricated", []))
    repeated = original + "\nLater the mayor repeated: “we will not raise taxes this year”."
    assert not any("added passage" in m for m in _rules(original, repeated).get("quote-fabricated", []))


@needs_spacy
def test_roles_swapped_but_not_for_passive_or_intransitive_rewording() -> None:
    assert "roles-swapped" in _rules("The council fined the company for the spill last year.", "The company fined the council for the spill last year.")
    assert "roles-swapped" not in _rules("The police arrested the suspect near the station.", "The suspect was arrested by the police near the station.")
    assert "roles-swapped" not in _rules(
        "The same arguments played out, and the same questions were left unanswered.",
        "The same arguments were discussed, and the same questions remained unanswered.",
    )


@needs_spacy
@needs_wordnet
def test_negated_antonym_and_negative_prefix_say_the_same() -> None:
    """"failed" ~ "not managed" and "uninterrupted" ~ "without interruptions" are one claim;
    a bare antonym or a dropped prefix is not."""
    r = _rules("Many countries have failed to reach the medal podium this year.", "Many countries have not managed to reach the medal podium this year.")
    assert "antonym" not in r and "negation" not in r
    r = _rules("Traffic goes on mostly uninterrupted all year round in the north.", "Traffic continues without major interruptions all year round in the north.")
    assert "negation" not in r
    assert "antonym" in _rules("The team managed to reach the final in the spring.", "The team failed to reach the final in the spring.")
    assert "negation" in _rules("Traffic goes on mostly uninterrupted all year round in the north.", "Traffic does not go on uninterrupted all year round in the north.")


@needs_spacy
def test_acronym_of_a_spelled_out_name_and_quoted_titles() -> None:
    assert "named-entity" not in _rules("Prices in the European Union rose sharply in this period.", "Prices in the EU rose sharply in this period.")
    assert "named-entity" in _rules("Prices in the European Union rose sharply in this period.", "Prices in the US rose sharply in this period.")
    # the original's own words put in quote marks (a title) are no fabricated quote
    r = _rules("If you have watched the movie National Treasure, you may think a map was drawn there.", "If you watched the movie \"National Treasure\", you may think a map was drawn there.")
    assert "quote-fabricated" not in r


def test_prefixed_english_words_are_english() -> None:
    if not nlp.wordlist_available():
        return
    assert nlp.is_english_word("Reintegration") and nlp.is_english_word("overbook")
    assert not nlp.is_english_word("recherche")


@needs_spacy
def test_main_verb_that_lost_its_subject() -> None:
    r = _rules("He said the talks had failed because of the storms.", "Said the talks failed, it seems, because of the storms.")
    assert any("lost its subject" in m for m in r.get("dropped-content", []))
    assert "dropped-content" not in _rules("He said the talks had failed because of the storms.", "He stated that the talks failed due to the storms.")
    r = _rules("He said the talks had failed because of the storms.", "Said the talks had failed because of the storms.")
    assert len(r.get("dropped-content", [])) == 1  # near-verbatim: the word check names 'He', once


def test_reworded_heading_is_at_most_a_minor_drift(minilm) -> None:
    """Headings are retitled freely; the severity model, trained on sentences, never makes one major.
    The sentences below the heading keep their full severity (the changed figure)."""
    original = "City Council Backs Rent Plan\n\nThe council approved a 5% rise in social rents on Monday after a two-hour debate.\nOpposition members voted against it after a long debate.\n"
    copy = "Rent plan passes\n\nOn Monday, after a debate of two hours, the council approved a 15% rise in social rents.\nOpposition members voted against it after a long debate.\n"
    rep = compare(extract("o", text=original), extract("c", text=copy), embedder=minilm)
    heading = [f for f in rep.findings if f.pair == 0 and f.rule == "drift"]
    assert heading and all(f.severity == Severity.MINOR for f in heading)
    assert any(f.rule == "number" and f.severity == Severity.CRITICAL for f in rep.findings)


@needs_spacy
def test_subjectless_root_after_a_clause_that_may_be_its_subject_is_not_flagged() -> None:
    r = _rules("A short stroke usually gives a softer tone, while a long one is louder.", "Pulling the bow slowly gives a softer tone, while pushing it fast gives a louder tone.")
    assert not any("lost its subject" in m for m in r.get("dropped-content", []))


def test_dates_and_figures_written_inside_words() -> None:
    # a month is its number: the same date in two notations
    assert "number" not in _rules("Checks grew stricter after September 11 at every airport.", "Checks grew stricter after 9/11 at every airport.")
    assert "number" in _rules("Checks grew stricter after September 11 at every airport.", "Checks grew stricter after 9/12 at every airport.")
    # digits inside a code or a unit: spelled out or spaced out on the other side
    assert "number" not in _rules("The camera records three-dimensional images of the room.", "The camera records 3D images of the room.")
    assert "number" not in _rules("The rule is described in the handbook (Smith, 1998, p42) in detail.", "The rule is described in the handbook (Smith, 1998, p. 42) in detail.")
    assert "number" in _rules("The runners covered 5km before the rain started.", "The runners covered 8km before the rain started.")


@needs_spacy
def test_latin_name_with_other_vowels_or_doubling_is_still_mangled() -> None:
    # only romanisation differences (y/j/i, kh/h, ...) are variants: a name written in Latin letters
    # in the original has one spelling, and a translator who changes it misspells it
    r = _rules("The speech was given by Federica Pellegrini in Boston last week.", "Last week, the speech was delivered in Boston by Federica Pelegrinni.")
    assert "named-entity" in r


@needs_spacy
def test_spelled_out_acronym_in_the_copy_and_reduced_relative_clause() -> None:
    minor = _rules("There are more farms in the US than in all of Canada today.", "Today there are more farms in the United States than in all of Canada.", Severity.MINOR)
    assert "named-entity" not in minor
    r = _rules("The nervous system, which is made up of the brain and the spinal cord, controls the body.",
               "The nervous system, made up of the brain and the spinal cord, controls the body.")
    assert not r


@needs_wordnet
@needs_spacy
def test_antonyms_pair_words_of_one_part_of_speech() -> None:
    # "lack" the noun is no opposite of "having": WordNet's lack/have pair is the verbs'
    r = _rules("A lack of buses forced the game to be played without fans.", "The absence of buses meant having the game played without fans.")
    assert "antonym" not in r


@needs_spacy
def test_unit_of_a_kept_figure_spelled_out_is_not_untranslated() -> None:
    if not nlp.wordlist_available():
        return
    r = _rules("A ride to the fort costs about Qz 150 and takes an hour.", "A ride to the fort costs about 150 quetzorins and takes an hour.")
    assert "untranslated" not in r
    # not beside a figure: an unknown word is still foreign
    assert "untranslated" in _rules("A ride to the fort costs about Qz 150 and takes an hour.", "A ride to the fort costs about Qz 150 and takes ungefähr an hour.")


@needs_spacy
def test_article_left_without_its_noun_is_dropped_content_even_when_reworded() -> None:
    r = _rules("The results the research team was hoping for never came, and the grant ended.",
               "The results that the had hoped for did not come, so the grant ran out.")
    assert any("missing after" in m for m in r.get("dropped-content", []))
    # quotation marks after an article hide nothing
    r = _rules("The court gave the army a combat mandate to defend itself.", "The court gave the army a “battle order” to defend itself.")
    assert not any("missing after" in m for m in r.get("dropped-content", []))
    # a participle after an article is an adjective: nothing is missing
    r = _rules("The talks were based on the borders that exist today.", "The talks relied on the existing borders.")
    assert not any("missing after" in m for m in r.get("dropped-content", []))


@needs_spacy
def test_another_name_for_the_same_thing_is_a_minor_variant() -> None:
    # WordNet lists Burma/Myanmar and Mideast/Middle East as names of one thing: rendered, not removed.
    minor = _rules(
        "Aid convoys crossed into Burma on Friday after the floods.",
        "Aid convoys crossed into Myanmar on Friday after the floods.",
        Severity.MINOR,
    )
    assert [m for m in minor.get("named-entity", []) if "another name" in m]
    assert "named-entity" not in _rules("Oil prices in the Mideast rose again this week.", "Oil prices in the Middle East rose again this week.")
    # ... while a different country is still a replaced name.
    assert "named-entity" in _rules(
        "Aid convoys crossed into Burma on Friday after the floods.",
        "Aid convoys crossed into Laos on Friday after the floods.",
    )


@needs_spacy
def test_a_word_that_means_not_balances_a_negation() -> None:
    # "failed to" says "did not"; "lacking" says "without": no negation was added or dropped.
    assert "negation" not in _rules("The company failed to pay its workers last month.", "The company did not pay its workers last month.")
    assert "negation" not in _rules("Villages lacking clean water were evacuated first.", "Villages without clean water were evacuated first.")
    # A negation with no such word on the other side still is one.
    assert "negation" in _rules("The company paid its workers last month.", "The company did not pay its workers last month.")


@needs_spacy
def test_a_shared_prefix_is_a_derivation_only_when_an_ending_was_added() -> None:
    # Ukraine / Ukrainian adds an ending: the same name. Schulz / Schultz changes a letter inside:
    # a misspelt name (Schultz is in the word list, but only as a name, so it is no translation).
    assert "named-entity" not in _rules("Talks on Ukraine resumed in the spring.", "Ukrainian talks resumed in the spring.", Severity.MINOR)
    assert "named-entity" in _rules("Finance minister Heinz Schulz resigned on Friday.", "Finance minister Heinz Schultz stepped down on Friday.")
    # A romanisation variant is still minor, and so is a British spelling of an English name part.
    minor = _rules("Mayor Petra Kowalsky opened the new hall.", "Mayor Petra Kowalski inaugurated the new hall.", Severity.MINOR)
    assert minor.get("named-entity") and "named-entity" not in _rules("Mayor Petra Kowalsky opened the new hall.", "Mayor Petra Kowalski inaugurated the new hall.")
    assert "named-entity" not in _rules("Ships left Pearl Harbor at dawn on Sunday.", "Ships sailed from Pearl Harbour at dawn on Sunday.")


@needs_spacy
def test_general_readings_of_an_honest_rewording() -> None:
    # Each pair says the same; before the fifth session each was a major finding.
    same = [
        # an ordinary word that starts a sentence, tagged a one-word PERSON by the small model
        ("Wolf pups were seen near the old mill on Tuesday.", "Young wolves were seen near the old mill on Tuesday."),
        # a figure stated twice, once in the copy
        ("Hikers must keep 100 yards (100 meters) from bears.", "Hikers must keep 100 yards/meters away from bears."),
        # "which is" put in before a participle
        ("The network, made up of two cables, failed in May.", "The network, which is made up of two cables, failed in May."),
        # an acronym for the start of the name ("ISIS" for "Islamic State ...")
        ("Islamic State fighters were captured near the border.", "ISIS fighters were captured near the border."),
        # "easily" already says "easy": no opposite of "difficult" was brought in
        ("Travellers who adapted easily often find the return difficult.", "Travellers who had an easy time adapting often find the return hard."),
    ]
    for original, copy in same:
        assert _rules(original, copy) == {}, (original, copy)
    # ... while the same sentences with the fact changed are still flagged.
    assert "number" in _rules("Hikers must keep 100 yards (100 meters) from bears.", "Hikers must keep 50 yards/meters away from bears.")
    assert "named-entity" in _rules("Islamic State fighters were captured near the border.", "Kurdish fighters were captured near the border.")


@needs_spacy
def test_figures_written_another_way_are_the_same_figure() -> None:
    same = [
        ("The night train leaves the central station at 6 p.m. every day.", "The night train leaves the central station at 18:00 every day."),
        ("About half of the residents of the valley voted in the election.", "About 50% of the residents of the valley voted in the election."),
        ("The law on water use was passed in the 1990s by the council.", "The law on water use was passed in the nineties by the council."),
        ("The volcano on the island last erupted two centuries ago.", "The volcano on the island last erupted 200 years ago."),
        ("The new bridge over the river is 1.2 km long.", "The new bridge over the river is 1,200 metres long."),
        ("The two doses of the vaccine are given three weeks apart.", "The two doses of the vaccine are given 21 days apart."),
        ("The city archive holds letters from the 18th century.", "The city archive holds letters from the 1700s."),
    ]
    for original, copy in same:
        rules = _rules(original, copy)
        assert "number" not in rules and "not-a-copy" not in rules, (original, copy, rules)
    assert "number" in _rules("The city archive holds letters from the 8th century.", "The city archive holds letters from the 7th century.")
    assert "number" in _rules("The night train leaves the central station at 6 p.m. every day.", "The night train leaves the central station at 17:00 every day.")


@needs_spacy
def test_reordered_short_sentences_titles_demonyms_and_the_number_sign(minilm) -> None:  # type: ignore[no-untyped-def]
    # Reworded short sentences: with the real model (the hashing embedder of the other tests sees
    # too few shared words in them to align them at all).
    def rules(original: str, copy: str) -> set[str]:
        return set(_rules(original, copy, embedder=minilm))

    same = [
        # a short sentence in the passive shares few words and fewer bigrams: no scramble
        ("The treaty was signed by 195 countries.", "195 nations signed the treaty."),
        # "No." before a digit is the number sign, not a negation, and does not end the sentence
        ("The orchestra performed Tchaikovsky's Fifth Symphony.", "The orchestra played Tchaikovsky's Symphony No. 5."),
        # a title said another way
        ("The Prime Minister resigned after losing a confidence vote.", "The premier stepped down after losing a vote of confidence."),
        # a demonym for its place (WordNet pertainym), an exonym for the local name
        ("The Foreign Secretary met her French counterpart in Paris.", "In Paris the foreign minister met her counterpart from France."),
        ("The city of Cologne hosts the annual carnival.", "Köln hosts the carnival every year."),
        # a negative prefix says the "not"
        ("No one knows exactly how old the tree is.", "The exact age of the tree is unknown."),
    ]
    for original, copy in same:
        assert rules(original, copy) == set(), (original, copy)
    assert "named-entity" in rules("The Foreign Secretary met her French counterpart in Paris.", "In Paris the foreign minister met her counterpart from Chile.")


@needs_spacy
def test_sixth_session_readings_of_independent_translations(minilm) -> None:  # type: ignore[no-untyped-def]
    # Each is a reading of two faithful translations that an earlier version flagged at major+
    # (with the real model: the hashing embedder aligns too few of these short rewordings).
    same = [
        # figures: a clock time with its minutes, "noon", a score, "and a half", "a decade", "a week",
        # a hyphenated multiplier, a quarter of an hour
        ("The probe touched down at 6:04 p.m. local time on Friday.", "The probe touched down at 18:04 local time on Friday."),
        ("The museum is closed between 12:00 and 17:00 on Mondays.", "On Mondays the museum is shut from noon to 5 p.m."),
        ("The hosts beat Switzerland 2-0 in the final on Sunday.", "On Sunday the hosts defeated Switzerland two-nil in the final."),
        ("The crossing takes two and a half hours in calm weather.", "The crossing takes 2.5 hours in calm weather."),
        ("The dam began producing power more than a decade after work started.", "The dam began producing power more than ten years after work started."),
        ("Residents were told to boil their water for at least a week.", "Residents were told to boil their water for at least seven days."),
        ("He was convicted of taking a bribe of 12 million roubles.", "He was convicted of taking a 12-million-rouble bribe."),
        ("Buses to the airport leave every 15 minutes during the day.", "During the day, buses to the airport leave every quarter of an hour."),
        ("The earthquake struck at 4:30 in the morning.", "The earthquake struck at half past four in the morning."),
        # names: a demonym for its place whatever the tagger says, a name's adjective (WordNet
        # pertainym), a name glossed with its acronym, a letter NFD does not decompose, a name in two words
        ("The French Ministry of Health confirmed forty new cases on Tuesday.", "On Tuesday the Ministry of Health of France confirmed forty new cases."),
        ("The Dutch government postponed the vote on the climate law.", "The government of the Netherlands postponed the vote on the climate law."),
        ("The lander touched down near the Moon's south pole on Wednesday.", "The lander touched down near the lunar south pole on Wednesday."),
        ("Deforestation fell by a fifth, according to the National Institute for Space Research (INPE).", "Deforestation fell by a fifth, according to INPE."),
        ("The Öresund Bridge connects Malmö with Copenhagen.", "The Øresund Bridge connects Malmö with Copenhagen."),
        ("Ha Long Bay welcomed more than four million visitors last year.", "Halong Bay welcomed more than four million visitors last year."),
        # negation: "not ever" is "never"; a "un-" adjective is a "not"; "a few" is no orphan article
        ("He said he had never accepted money from the company.", "He said he had not ever accepted money from the company."),
        ("The opener finished the innings unbeaten on 112.", "The opener finished the innings on 112 not out."),
        ("It is best to book tickets online several days in advance.", "It is best to book tickets online a few days in advance."),
    ]
    for original, copy in same:
        assert _rules(original, copy, embedder=minilm) == {}, (original, copy, _rules(original, copy, embedder=minilm))
    # ... while the same sentences with the fact changed are still flagged.
    changed = [
        ("The probe touched down at 6:04 p.m. local time on Friday.", "The probe touched down at 17:04 local time on Friday.", "number"),
        ("The crossing takes two and a half hours in calm weather.", "The crossing takes 3.5 hours in calm weather.", "number"),
        ("The Dutch government postponed the vote on the climate law.", "The government of Belgium postponed the vote on the climate law.", "named-entity"),
        ("He said he had never accepted money from the company.", "He said he had always accepted money from the company.", "negation"),
    ]
    for original, copy, rule in changed:
        assert rule in _rules(original, copy, embedder=minilm), (original, copy)


@needs_spacy
def test_a_lone_capitalised_unknown_word_is_a_word_left_in_another_language() -> None:
    # A common noun left in German is capitalised: alone among lowercase words it is no name.
    assert "untranslated" in _rules("It was their last game; they had won the trophy in Paris.", "It was their last game; they had won the Pokal in Paris.")
    assert "untranslated" in _rules("Traffic flow is the study of how drivers and vehicles move.", "Traffic flow is the Untersuchung of how drivers and vehicles move.")
    # ... but a name, a currency code and the last word of a longer name are not.
    assert "untranslated" not in _rules("The thieves stole cable worth 2 million crowns near Brno.", "The thieves stole cable worth CZK 2 million near Brno.")
    assert "untranslated" not in _rules("The National Institute of Geophysics recorded 1,100 quakes.", "The National Institute of Geophysics and Volcanology recorded 1,100 quakes.")


@needs_spacy
def test_a_clause_that_lost_its_verb_or_its_subjects_noun_is_dropped_content(minilm) -> None:  # type: ignore[no-untyped-def]
    # Reworded pairs (an independent translation): the word diff cannot say what is missing, the
    # copy's grammar can.
    broken = [
        ("Comets may have brought Earth its water and the organic matter that forms proteins and sustains life.",
         "Comets may have been the source of Earth's water and organic matter that can proteins and sustain life."),
        ("A satellite carries the call when you phone somebody thousands of miles away.",
         "When you someone thousands of miles away, satellites are used."),
        ("Turkey is also to take charge of the Islamic State fighters who were captured, said the statement.",
         "Turkey would also over custody of captured Islamic State fighters, the statement said."),
        ("Last month a committee of the president called for the former CEP to resign.",
         "Last month, a presidential recommended the resignation of the former CEP."),
        ("Comets are thought to have brought water and organic matter to the Earth.",
         "May have been the source of Earth's water and organic matter."),
    ]
    for original, copy in broken:
        assert "dropped-content" in _rules(original, copy, embedder=minilm), (original, copy)
    whole = [
        ("The Late Middle Ages, by convention, end around 1500.", "The Late Middle Ages, which by convention ends around 1500, followed."),
        ("We gave them the keys before they left.", "Before they left, we handed them the keys."),
        ("Several of the injured were taken to hospital.", "A few of the injured were taken to hospital."),
        ("Could the comets have brought water to the Earth?", "Can comets have been the source of Earth's water?"),
        # a floating quantifier after a modal: a verb follows
        ("The two consuls could veto each other's decisions.", "The two consuls could each veto the decisions of the other."),
        # a closing quote glued to the next word by a typo: the parser's tags mean nothing there
        ("“Parliament has to decide,” he said.", "“This is a decision that Parliament must make”he noted."),
    ]
    for original, copy in whole:
        assert "dropped-content" not in _rules(original, copy, embedder=minilm), (original, copy)


@needs_spacy
def test_a_superscript_is_no_script_and_ordinals_above_ten_are_numbers() -> None:
    assert "untranslated" not in _rules("The forest lost about 11,000 square kilometres of trees last year.", "The forest lost about 11,000 km² of trees last year.")
    assert "untranslated" in _rules("The forest lost about 11,000 square kilometres of trees last year.", "The forest lost about 11,000 квадратных of trees last year.")
    assert "number" not in _rules("King Sejong introduced the alphabet in the fifteenth century.", "King Sejong introduced the alphabet in the 15th century.")
    assert "number" in _rules("King Sejong introduced the alphabet in the fifteenth century.", "King Sejong introduced the alphabet in the 16th century.")


def test_decimal_commas_glued_units_and_hours_with_minutes_are_read_as_figures() -> None:
    from fidelity.rules.parsing import numbers

    assert [v for v, _, _ in numbers("around 84,4 million people and 2,5 km")] == [84_400_000.0, 2.5]
    assert [v for v, _, _ in numbers("a 1,642 m lake, 50.000 seats, 3,776m high, an M7.6 quake")] == [1642.0, 50.0, 3776.0, 7.6]
    assert [v for v, _, _ in numbers("it takes 2 hours 30 minutes, or 2 hours and 15 minutes")] == [2.5, 2.25]
    assert "number" not in _rules("The Louvre welcomed 8.9 million visitors in 2023.", "The Louvre welcomed 8,9 million visitors in 2023.")
    assert "number" in _rules("The Louvre welcomed 8.9 million visitors in 2023.", "The Louvre welcomed 8,6 million visitors in 2023.")
    assert "number" not in _rules("Mount Fuji is 3,776 metres high.", "Mount Fuji is 3,776m high.")
    assert "number" not in _rules("The train takes two and a half hours to Osaka.", "The train takes 2 hours 30 minutes to Osaka.")
    assert "number" in _rules("The train takes two and a half hours to Osaka.", "The train takes 2 hours 40 minutes to Osaka.")


@needs_spacy
def test_another_romanisation_of_a_name_is_a_minor_variant() -> None:
    for original, copy in (
        ("Visitors under 18 are not allowed into the Chernobyl exclusion zone.", "Into the Chornobyl exclusion zone visitors under 18 are not admitted."),
        ("The Dnipro is the longest river in Ukraine.", "The Dnieper is the longest river in Ukraine."),
        ("Hangul, the Korean alphabet, has 24 basic letters.", "Hangeul, the Korean alphabet, consists of 24 basic letters."),
    ):
        assert "named-entity" not in _rules(original, copy), (original, copy)
        assert "named-entity" in _rules(original, copy, Severity.MINOR), (original, copy)
    # c for k in a Latin-script name is a misspelling, not a romanisation
    assert "named-entity" in _rules("The report was presented by Katharina Berger in Vienna.", "The report was presented in Vienna by Catharina Berger.")
    # a skeleton of three consonants is too short to say two names are one
    assert "named-entity" in _rules("The minister met Anna Melon in Rome.", "The minister met Anna Milan in Rome.")
    # a name and its derived adjective stay one name, not a variant
    assert "named-entity" not in _rules("Germany's army is too small.", "The German army is too small.", Severity.MINOR)


@needs_spacy
def test_a_name_said_by_what_it_is_is_minor(minilm) -> None:  # type: ignore[no-untyped-def]
    original = "Lake Baikal in Siberia is the deepest lake on Earth, with a maximum depth of 1,642 metres."
    copy = "Baikal lake in Siberia is the deepest lake on the planet: its maximum depth makes up 1642 m."
    assert "named-entity" not in _rules(original, copy, embedder=minilm)
    assert any("what it is" in m for m in _rules(original, copy, Severity.MINOR, embedder=minilm)["named-entity"])
    # a noun that is not its class does not stand for it
    assert "named-entity" in _rules(original, copy.replace("planet", "continent"), embedder=minilm)


@needs_spacy
def test_negation_said_by_a_word_a_bound_or_only(minilm) -> None:  # type: ignore[no-untyped-def]
    same = [
        # a word WordNet defines by a negation
        ("Abebe Bikila won the marathon at the 1960 Rome Olympics running barefoot.", "Abebe Bikila, running without shoes, won the marathon race at the Rome 1960 Olympic Games."),
        ("The ruling party lost its majority in parliament.", "The governing party no longer has a majority in parliament."),
        # an adjective read by its verb: "lacking"
        ("The bright areas appear completely white and without detail.", "The light areas appear completely white and lacking detail."),
        # a bound is no negation
        ("Doctors recommend that adults sleep at least seven hours each night.", "Doctors recommend that adults sleep no less than seven hours every night."),
        # "not ... until" is "only"
        ("Cologne Cathedral was not completed until 1880 and is about 157 metres high.", "Cologne Cathedral was only completed in 1880 and is approximately 157 meters high."),
    ]
    for original, copy in same:
        assert "negation" not in _rules(original, copy, embedder=minilm), (original, copy)
    changed = [
        ("Abebe Bikila won the marathon at the 1960 Rome Olympics running barefoot.", "Abebe Bikila did not win the marathon at the 1960 Rome Olympics running barefoot."),
        ("Cologne Cathedral was not completed until 1880.", "Cologne Cathedral was completed until 1880."),
        ("Doctors recommend that adults sleep at least seven hours each night.", "Doctors recommend that adults sleep no more than seven hours, but not every night."),
    ]
    for original, copy in changed:
        assert "negation" in _rules(original, copy, embedder=minilm), (original, copy)


@needs_spacy
@needs_wordnet
def test_an_opposite_that_stands_for_another_word_is_no_antonym() -> None:
    # a phrasal verb's particle ("pay back") has no direction of its own
    assert "antonym" not in _rules(
        "The Greek finance minister stated that the country would repay the loans two years ahead of schedule.",
        "According to the finance minister of Greece, the country was going to pay back its loans two years earlier than planned.",
    )
    # the original's word is in the copy as a synonym (rise ~ climb): "fell" says "eased"
    original = "Inflation eased to 3 percent in May, but wages continued to rise across the country."
    assert "antonym" not in _rules(original, "Inflation fell to 3 percent in May, but wages continued to climb across the country.")
    assert "antonym" in _rules(original, "Inflation eased to 3 percent in May, but wages continued to fall across the country.")


def test_units_of_time_lakh_crore_and_shortened_year_ranges() -> None:
    from fidelity.rules.parsing import numbers

    assert [v for v, _, _ in numbers("in 1875–76, 2 crore and 12 lakh people, over the next decade")] == [1875.0, 1876.0, 20_000_000.0, 1_200_000.0, 10.0]
    same = [
        ("The doctor advised him to rest for a fortnight.", "The doctor told him to rest for two weeks."),
        ("The supply may be interrupted for up to 48 hours during repairs.", "The supply may be cut off for as long as two days during repairs."),
        ("Indian Railways carries more than 20 million passengers every day.", "Indian Railways transports over 2 crore passengers daily."),
        ("Tchaikovsky wrote the ballet Swan Lake in 1875–76 for the Bolshoi.", "Tchaikovsky wrote the ballet Swan Lake in the years 1875–1876 for the Bolshoi."),
        ("The government plans to plant two million trees over the next decade.", "Over the coming ten years, the government intends to plant 2 million trees."),
    ]
    for original, copy in same:
        assert "number" not in _rules(original, copy), (original, copy)
    assert "number" in _rules("The supply may be interrupted for up to 48 hours during repairs.", "The supply may be cut off for as long as three days during repairs.")


@needs_spacy
def test_uniqueness_rather_than_and_a_no_vote_are_no_negation(minilm) -> None:  # type: ignore[no-untyped-def]
    same = [
        ("The tower is the tallest building in Europe.", "No building in Europe is taller than the tower."),
        ("It is the first time a woman has led the party.", "Never before has a woman led the party."),
        ("The species is found only on the island of Madagascar.", "The species lives nowhere else but on Madagascar."),
        ("If you travel by bus, keep your valuables with you rather than in the luggage compartment.", "If you travel by bus, keep your valuables with you and not in the luggage hold."),
        ("The Riksdag approved the budget, with 175 members voting in favour and 168 against.", "The Riksdag approved the budget, with 175 MPs voting yes and 168 voting no."),
    ]
    for original, copy in same:
        assert "negation" not in _rules(original, copy, embedder=minilm), (original, copy)
    # a plain "not" is how a negation is added, whatever else the sentence says
    for original, copy in (
        ("The tower is the tallest building in Europe.", "The tower is not the tallest building in Europe."),
        ("She was the first woman to win the prize.", "She was not the first woman to win the prize."),
        ("The council said yes to the plan.", "The council said no to the plan, not yes."),
    ):
        assert "negation" in _rules(original, copy, embedder=minilm), (original, copy)


def test_fractions_of_a_multiplied_figure_midnight_and_every_other() -> None:
    from fidelity.rules.parsing import numbers

    assert [v for v, _, _ in numbers("one and a half million people, 12 midnight, every other year, 2020 and a half of them")] == [1_500_000.0, 0.0, 2.0, 2020.0, 0.5]
    same = [
        ("More than 1.5 million wildebeest cross the river every year.", "Over one and a half million wildebeest cross the river each year."),
        ("The metro runs until midnight on most days.", "The metro works until 12 midnight on most days."),
        ("The festival is held every other year in August.", "The festival takes place every two years in August."),
    ]
    for original, copy in same:
        assert "number" not in _rules(original, copy), (original, copy)
    assert "number" in _rules("The festival is held every other year in August.", "The festival takes place every three years in August.")
    assert "number" in _rules("More than 1.5 million wildebeest cross the river every year.", "Over one and a half thousand wildebeest cross the river each year.")


@needs_spacy
def test_a_scale_said_by_its_symbol_and_a_dropped_gloss_are_no_missing_names() -> None:
    same = [
        ("Temperatures in Bavaria rose to 38 degrees Celsius on Sunday.", "Temperatures in Bavaria climbed to 38 °C on Sunday."),
        ("According to the German Weather Service (DWD), it was the hottest June day.", "According to the German Weather Service, it was the hottest June day."),
    ]
    for original, copy in same:
        assert "named-entity" not in _rules(original, copy), (original, copy)
    # with the glossed name gone too, something named is missing
    assert "named-entity" in _rules("According to the German Weather Service (DWD), it was the hottest June day.", "According to the forecasters, it was the hottest June day.")


@needs_spacy
@needs_wordnet
def test_not_enough_and_not_exceeding_said_without_a_negation(minilm) -> None:  # type: ignore[no-untyped-def]
    same = [
        ("The court ruled that parts of the law did not go far enough to protect future generations.", "The court decided that parts of the law were insufficient to protect future generations."),
        ("The site admits no more than 40,000 people a day.", "The number of daily admissions does not exceed forty thousand."),
        ("Each passenger may carry up to 7 kilograms of hand luggage.", "The hand luggage of each passenger must not surpass 7 kilograms."),
    ]
    for original, copy in same:
        assert "negation" not in _rules(original, copy, embedder=minilm), (original, copy)
    for original, copy in (
        ("The number of daily admissions exceeds forty thousand.", "The number of daily admissions does not exceed forty thousand."),
        ("The court ruled that parts of the law went far enough to protect future generations.", "The court decided that parts of the law were not sufficient to protect future generations."),
    ):
        assert "negation" in _rules(original, copy, embedder=minilm), (original, copy)


@needs_spacy
def test_phrases_moved_whole_are_no_scrambled_order(minilm) -> None:  # type: ignore[no-untyped-def]
    original = "Fishermen in Vigo say that catches of sardines have fallen by nearly a third compared with last season."
    copy = "The fishermen of Vigo affirm that the captures of sardine have decreased by almost a third with respect to the previous season."
    assert "word-order" not in _rules(original, copy, embedder=minilm)
    shuffled = "Of sardines Vigo that the have catches season with fallen last a nearly by say in third compared fishermen."
    assert "word-order" in _rules(original, shuffled, embedder=minilm)


def test_numeric_dates_fractions_and_the_common_era() -> None:
    from fidelity.rules.parsing import numbers

    assert [v for v, _, _ in numbers("on 4.4.2023, on 2024-01-23, in 1875-76")] == [4.0, 4.0, 2023.0, 2024.0, 1.0, 23.0, 1875.0, 1876.0]
    # a date's figures join no fraction after them (this raised IndexError: the date is masked)
    assert [v for v, _, _ in numbers("on 4.4.2023 and a half")] == [4.0, 4.0, 2023.0, 0.5]
    same = [
        ("Finland joined NATO on 4 April 2023 in Brussels.", "Finland joined NATO on 4.4.2023 in Brussels."),
        ("The parliament approved the protocol on 23 January 2024 with 287 votes.", "The parliament approved the protocol on 2024-01-23 with 287 votes."),
        ("Lake Baikal holds about a fifth of the planet's fresh surface water.", "Lake Baikal holds about 20% of the planet's fresh surface water."),
        ("More than one and a half million wildebeest cross the river.", "More than one million and a half wildebeest cross the river."),
    ]
    for original, copy in same:
        assert "number" not in _rules(original, copy), (original, copy)
        assert "named-entity" not in _rules(original, copy), (original, copy)
    assert "number" in _rules("Finland joined NATO on 4 April 2023 in Brussels.", "Finland joined NATO on 4.5.2023 in Brussels.")
    assert "number" in _rules("Lake Baikal holds about a fifth of the planet's fresh surface water.", "Lake Baikal holds about 25% of the planet's fresh surface water.")


@needs_spacy
def test_the_common_era_added_is_no_content() -> None:
    original = "The mathematician al-Khwarizmi, who lived in Baghdad in the ninth century, laid the foundations of algebra."
    assert not _rules(original, "The mathematician al-Khwarizmi, who lived in Baghdad in the ninth century AD, laid the foundations of algebra.")
    assert _rules(original, "The mathematician al-Khwarizmi, who lived in Baghdad in the ninth century BC, laid the foundations of algebra.")


@needs_spacy
@needs_wordnet
def test_a_common_word_at_the_start_or_inside_a_name_said_another_way(minilm) -> None:  # type: ignore[no-untyped-def]
    same = [
        ("Sea turtles often return to the same beach where they hatched to lay their eggs.", "Marine turtles frequently return to the same beach where they were born to lay their eggs."),
        ("Castells were declared part of the Intangible Heritage of Humanity by UNESCO in 2010.", "The castells were declared Immaterial Heritage of Humanity by UNESCO in 2010."),
    ]
    for original, copy in same:
        assert "named-entity" not in _rules(original, copy, embedder=minilm), (original, copy)
    assert "named-entity" in _rules("Turkey will host the summit in the spring.", "Greece will host the summit in the spring.", embedder=minilm)
    assert "named-entity" in _rules(
        "Castells were declared part of the Intangible Heritage of Humanity by UNESCO in 2010.", "The castells were declared Natural Heritage of Humanity by UNESCO in 2010.", embedder=minilm
    )


@needs_spacy
def test_a_name_spelt_another_way_at_a_sentence_start_is_not_untranslated() -> None:
    r = _rules(
        "Roscosmos reported that the Soyuz spacecraft had docked with the International Space Station on Friday.",
        "Roskosmos reported that the spaceship Soyuz docked to the International Space Station on Friday.",
    )
    assert "untranslated" not in r
    # with no such name in the original, the same word is left untranslated
    assert "untranslated" in _rules(
        "The agency reported that the Soyuz spacecraft had docked with the International Space Station on Friday.",
        "Roskosmos reported that the spaceship Soyuz docked to the International Space Station on Friday.",
    )


@needs_spacy
def test_long_vowels_q_for_k_w_for_v_and_a_vowels_h_are_romanisations(minilm) -> None:  # type: ignore[no-untyped-def]
    for original, copy in (
        ("Genghis Khan united the Mongol tribes in 1206 at a great assembly.", "In 1206 at a great assembly, Genghis Khaan united the tribes of the Mongols."),
        ("Shohei Ohtani hit his 50th home run of the season on Thursday.", "On Thursday, Shohei Otani hit his 50th home run of the season."),
        ("The Dead Sea Scrolls were discovered in 1947 in the Qumran caves by a Bedouin shepherd.", "The Dead Sea scrolls were discovered in the year 1947 in the caves of Kumran by a Bedouin shepherd."),
        ("Heavy flooding hit the city of Ahvaz on Sunday, the governor said.", "On Sunday, heavy floods struck the city of Ahwaz, according to the governor."),
        ("Every year more than a million wildebeest cross from the Serengeti into the Maasai Mara.", "Each year, over one million wildebeest move from the Serengeti to the Masai Mara."),
    ):
        assert "named-entity" in _rules(original, copy, Severity.MINOR, embedder=minilm), (original, copy)
        assert "named-entity" not in _rules(original, copy, embedder=minilm), (original, copy)
    # a doubled consonant (added, dropped or moved) in a Latin-script name is a misspelling, as before
    assert "named-entity" in _rules("The team signed Enzo Ferrari's grandson on Monday.", "On Monday the team signed the grandson of Enzo Ferari.", embedder=minilm)
    assert "named-entity" in _rules("Dustin Runnels commented that the match was the best of his career.", "Dustin Runalls said that the match had been the best one of his career.", embedder=minilm)


@needs_spacy
def test_closed_to_and_out_of_service_say_not(minilm) -> None:  # type: ignore[no-untyped-def]
    same = [
        ("The old town of Hoi An is closed to cars, and visitors must buy a ticket.", "Hoi An ancient town does not allow cars to enter, and visitors must buy tickets."),
        ("Carry enough cash, since cash machines in the villages are often out of service.", "Because ATMs in the villages are frequently not working, carry enough cash."),
    ]
    for original, copy in same:
        assert "negation" not in _rules(original, copy, embedder=minilm), (original, copy)
    assert "negation" in _rules("The old town of Hoi An is closed to cars.", "The old town of Hoi An is not closed to cars.", embedder=minilm)
    assert "negation" in _rules("The old town of Hoi An is open to cars.", "The old town of Hoi An does not allow cars.", embedder=minilm)


@needs_spacy
def test_the_originals_own_foreign_word_spelt_another_way_is_not_untranslated(minilm) -> None:  # type: ignore[no-untyped-def]
    original = "Georgia's traditional method of fermenting wine in clay vessels called qvevri is on a UNESCO list."
    assert "untranslated" not in _rules(original, "In Georgia, the traditional method of fermenting wine in clay vessels called kvevri is included in a UNESCO list.", embedder=minilm)
    original = "Loy Krathong is held on the full-moon night of the twelfth month, when people float decorated baskets on rivers."
    assert "untranslated" not in _rules(original, "Loi Krathong festival is held on the full moon night of the 12th month, and people float decorated krathongs in rivers.", embedder=minilm)
    # the same word where the original says it in English is left untranslated
    original = "Georgia's traditional method of fermenting wine in large clay jars is on a UNESCO list."
    assert "untranslated" in _rules(original, "In Georgia, the traditional method of fermenting wine in large clay kvevri is included in a UNESCO list.", embedder=minilm)


@needs_spacy
def test_known_as_called_and_named_introduce_the_same_name() -> None:
    original = "The spring festival, known as Holi, is celebrated across India with coloured powder."
    for copy in (
        "The spring festival, called Holi, is celebrated across India with coloured powder.",
        "The spring festival, named Holi, is celebrated across India with coloured powder.",
    ):
        assert "wording" not in _rules(original, copy), copy
    assert "wording" in _rules(original, "The spring festival, banned as Holi, is celebrated across India with coloured powder.")


def test_a_stated_total_and_months_as_years() -> None:
    original = "The team arrived home on Sunday after winning two gold medals and one bronze at the championship."
    assert "number" not in _rules(original, "The team returned on Sunday after winning a total of three medals, two gold and one bronze, at the championship.")
    assert "number" in _rules(original, "The team returned on Sunday after winning a total of four medals, two gold and one bronze, at the championship.")
    original = "The bridge will be closed for half a year while it is repaired."
    assert "number" not in _rules(original, "The bridge will be closed for 6 months while it is repaired.")
    assert "number" in _rules(original, "The bridge will be closed for 8 months while it is repaired.")


@needs_spacy
def test_the_receiver_of_an_action_who_does_it_in_the_copy() -> None:
    original = "The farmers will receive support from the government this winter."
    assert "roles-swapped" in _rules(original, "The farmers will support the government this winter.")
    assert "roles-swapped" in _rules("The islands will have American protection under the new treaty.", "The islands would protect America under the new treaty.")
    # the action said with its doer as subject, or the receiver still receiving it, is the same claim
    assert "roles-swapped" not in _rules(original, "The government will support the farmers this winter.")
    assert "roles-swapped" not in _rules(original, "The farmers will be supported by the government this winter.")


def test_roman_numerals_of_centuries_and_rulers() -> None:
    from fidelity.rules.parsing import numbers

    assert [v for v, _, _ in numbers("the XVIII century, Louis XIV, World War II, the CIA, Washington DC, Then I went")] == [18.0, 14.0, 2.0]
    original = "Skovoroda, the 18th-century Ukrainian philosopher and poet, spent most of his life wandering."
    assert "number" not in _rules(original, "Skovoroda, Ukrainian philosopher and poet of the XVIII century, spent most of his life wandering.")
    assert "number" in _rules(original, "Skovoroda, Ukrainian philosopher and poet of the XVII century, spent most of his life wandering.")


@needs_spacy
@needs_wordnet
def test_a_negated_word_the_other_side_still_says_is_no_paraphrase(minilm) -> None:  # type: ignore[no-untyped-def]
    original = "The small coastal town has a large population of retired fishermen."
    assert "negation" in _rules(original, "The small coastal town does not have a large population of retired fishermen.", embedder=minilm)


@needs_spacy
@needs_wordnet
def test_an_opposite_while_the_word_stays_elsewhere_in_the_copy() -> None:
    # the original says "highest" twice; the copy keeps one and turns the other into its opposite
    original = "The northern range has the country's highest mountains, and its highest peak is Mount Vinson."
    copy = "The northern range has the country's lowest mountains, and its highest peak is Mount Vinson."
    assert "antonym" in _rules(original, copy)


@needs_spacy
@needs_wordnet
def test_indirect_antonym_of_an_adjective_is_an_opposite() -> None:
    # "huge" is a satellite of "large", the antonym of "small": opposite clusters
    assert "antonym" in _rules("The old port is set around a small bay and surrounded by hills.", "The old port is set around a huge bay and surrounded by hills.")
    assert "antonym" in _rules("It was a quick repair that the crew finished by noon.", "It was a slow repair that the crew finished by noon.")
    # one cluster: no opposite
    assert "antonym" not in _rules("The old port is set around a large bay and surrounded by hills.", "The old port is set around a huge bay and surrounded by hills.", Severity.MINOR)


@needs_spacy
def test_a_misspelling_of_the_originals_own_word_is_no_foreign_word() -> None:
    assert "untranslated" not in _rules(
        "Many women in Myanmar wear thanaka, a yellowish paste made from ground bark.",
        "Many women in Myanmar wear thanakha, a yellowish paste made from ground bark.",
    )


@needs_spacy
def test_no_untranslated_word_in_a_hyphenated_name_or_a_british_spelling() -> None:
    assert "untranslated" not in _rules(
        "On 1 October 1949, Mao Zedong proclaimed the founding of the People's Republic.",
        "On 1 October 1949, Mao Tse-tung proclaimed the founding of the People's Republic.",
    )
    assert "untranslated" not in _rules("Durian is banned in hotels because of its strong smell.", "Durian is banned in hotels because of its strong odour.")


@needs_spacy
@needs_wordnet
def test_a_degree_asked_with_how_states_no_property(minilm) -> None:  # type: ignore[no-untyped-def]
    assert "antonym" not in _rules("No one knows exactly how old the tree is.", "The exact age of the tree is unknown.", embedder=minilm)


@needs_spacy
def test_a_phrase_that_lost_its_noun_is_dropped_content(minilm) -> None:  # type: ignore[no-untyped-def]
    # a preposition left before "and", a possessive with nothing to own, "because" before its verb
    r = _rules(
        "Remains of sewage systems were found in the houses of the Minoan cities of Crete and Santorini in Greece.",
        "Remains of sewage systems have been found in the homes of the Minoan cities of and Santorini in Greece.",
        embedder=minilm,
    )
    assert any("of and" in m for m in r.get("dropped-content", []))
    assert "dropped-content" in _rules(
        "Comets may have been a source of the earth's water and of organic matter that can form proteins.",
        "Comets may have been the source of 's water and organic matter that can form proteins.",
        embedder=minilm,
    )
    assert "dropped-content" in _rules(
        "Studying traffic flow is difficult because driver behaviour cannot be predicted with certainty.",
        "Studying traffic flows is difficult because cannot be predicted in advance with certainty.",
        embedder=minilm,
    )
    assert "dropped-content" in _rules(
        "MS is a disease of the central nervous system, which is made up of the brain, the spinal cord and the optic nerve.",
        "MS is a disease that affects the central nervous system, consisting of the brain, spinal cord, and.",
        embedder=minilm,
    )
    # whole phrases: right-node raising, "as was expected", a possessive that owns its noun
    for original, copy in (
        ("The formats are equal or close to this aspect ratio.", "The formats are equal to or close to this aspect ratio."),
        ("The vote went ahead as had been expected by most observers.", "The vote went ahead, as was expected by most observers."),
        ("The museums show the history of Canada and its provinces.", "The museums show Canada's history and that of its provinces."),
    ):
        assert "dropped-content" not in _rules(original, copy, embedder=minilm), copy


@needs_spacy
def test_a_dropped_name_the_parser_tagged_no_entity_is_still_major(minilm) -> None:  # type: ignore[no-untyped-def]
    # "Versailles" here is no entity to the small parser; no dictionary has it either
    r = _rules(
        "At one point a member of the angry mob waved the head of a royal guard killed at Versailles in front of the terrified Queen.",
        "At one point, a member of the outraged crowd waved the head of a royal guard killed in front of the horrified queen.",
        embedder=minilm,
    )
    assert any("Versailles" in m for m in r.get("named-entity", []))


@needs_spacy
def test_contractions_and_ellipsis_spelt_out_change_nothing() -> None:
    """A near-verbatim copy that spells out a contraction, or repeats the auxiliary or the
    subject a coordination leaves understood, says the same; a dropped subject that named
    something else, or that a clause separates from its "and", is still dropped content."""
    same = [
        ("The original population hasn't changed at all, they still need the same adaptations.", "The original population has not changed at all; they still need the same adaptations."),
        ("They will look so different that they can't be called the same species.", "They will look so different that they cannot be called the same species."),
        ("Most of the smaller islands are independent nations, or associated with France, and known as beach resorts.",
         "Most of the smaller islands are independent nations or are associated with France, and they are known as beach resorts."),
        ("The bridge is 378 meters long and it has two lanes of 3.50 m wide.", "The bridge is 378 meters long and has two lanes of 3.50 m wide."),
    ]
    for original, copy in same:
        assert "wording" not in _rules(original, copy) and "dropped-content" not in _rules(original, copy), copy
    assert "dropped-content" in _rules("Others are believed to have been raised by animals, and some are said to have lived alone.",
                                       "Others are believed to have been raised by animals, and are said to have lived alone.")
    assert "dropped-content" in _rules("No child should grow up in a place that does not nurture them, but sadly they do.",
                                       "No child should grow up in a place that does not nurture them, but sadly do.")
    assert "dropped-content" in _rules("The war created the republic, and although the republic has its own currency, it is not recognized by any state.",
                                       "The war created the republic, and although the republic has its own currency, is not recognized by any state.")


@needs_spacy
def test_a_moved_word_is_no_tense_change_and_the_year_before_a_year_adds_nothing() -> None:
    assert "wording" not in _rules('The "down bow" mark looks like a staple or a square missing its bottom side.',
                                   'The "down bow" mark looks like a staple or a square with its bottom side missing.')
    assert "added-content" not in _rules("The Late Middle Ages, which by convention end around 1500, followed.",
                                         "The Late Middle Ages, which by convention end around the year 1500, followed.")
    assert "wording" in _rules("His research on the lungs of fetal lambs shows that the hormones help.",
                               "His research on the lungs of fetal lambs showed that the hormones help.")


def test_a_clock_time_without_a_colon_is_hours_and_minutes() -> None:
    original = "The vehicle itself was taken away from the scene of the accident at approximately 1200 GMT on the same day."
    assert "number" not in _rules(original, "The vehicle itself was removed from the scene of the accident at approximately 12:00 GMT that same day.")
    assert "number" in _rules(original, "The vehicle itself was removed from the scene of the accident at approximately 14:00 GMT that same day.")
    assert "number" not in _rules("The ship left port at 0930 hours.", "The ship left port at 09:30 hours.")
    assert "number" in _rules("It took 1200 hours of work.", "It took 12 hours of work.")


@needs_spacy
def test_a_negative_prefix_split_at_its_hyphen_is_still_a_negation() -> None:
    assert "negation" not in _rules('The company called the incidents "non-serious" in its statement.', 'The company called the incidents "not serious" in its statement.', Severity.MINOR)


def test_a_changed_figure_is_one_number_finding_not_also_a_wording_change() -> None:
    original = "The vehicle was removed from the scene at approximately 5 pm on the same day."
    for copy in (original.replace("5 pm", "7 pm"), original.replace("5 pm", "seven pm")):
        r = _rules(copy=copy, original=original, min_sev=Severity.MINOR)
        assert "number" in r and "wording" not in r, r


@needs_spacy
def test_an_opposite_is_one_finding_and_a_height_given_by_a_thing_has_no_opposite() -> None:
    original = "The Ninth Ward is currently in high water as the nearby levee was overtopped."
    r = _rules(original, original.replace("high", "low"), Severity.MINOR)
    assert "antonym" in r and "wording" not in r, r
    assert "antonym" not in _rules("The Ninth Ward is currently in waist-high water as the levee was overtopped.", "The Ninth Ward is currently under waist-deep water because the levee was overtopped.")


@needs_spacy
def test_absence_said_with_no_an_instruction_and_an_understood_verb_are_no_loss() -> None:
    assert "negation" not in _rules("Biological clocks continue a period of free-running cycling even in the absence of external cues.",
                                    "Biological clocks continue a period of free-running cycles even when there are no external cues.")
    assert "negation" in _rules("Economic links were re-established despite the failure of the negotiations.",
                                "Economic links were not re-established despite the negotiations.")
    assert "dropped-content" not in _rules("For news on tournaments and where to buy tickets for polo matches, check the website of the association.",
                                           "For news about tournaments and places to buy tickets for polo matches, refer to the association website.")
    assert "dropped-content" not in _rules("On icy and snowy roadways, friction is low and you cannot drive as if you were on bare asphalt.",
                                           "On icy and snow-covered roads, friction is low, so you cannot drive the way you would on bare asphalt.")


@needs_spacy
def test_a_unit_by_symbol_or_name_and_an_opposite_that_renders_another_word() -> None:
    assert "wording" not in _rules("The bridge is 378 meters long and it has two lanes of 3.50 m wide.", "The bridge is 378 metres long and it has two lanes of 3.50 metres wide.")
    assert "wording" in _rules("The bridge is 378 meters long and it has two lanes of 3.50 m wide.", "The bridge is 378 meters long and it has two lanes of 3.50 ft wide.")
    # "got better" says "improved", not the opposite of "rusty"
    assert "antonym" not in _rules("Though the team seemed rusty in the first game, South Africa steadily improved as the tournament progressed.",
                                   "Though the team looked out of form in the first game, South Africa gradually got better as the tournament went on.")
    assert "antonym" in _rules("Though the team seemed rusty in the first game, South Africa steadily improved as the tournament progressed.",
                               "Though the team seemed fresh in the first game, South Africa steadily improved as the tournament progressed.")


@needs_spacy
def test_negation_said_by_deprive_suspend_and_too_to() -> None:
    same = [
        ("A storm hit Brittany overnight, leaving nearly 100,000 homes without electricity.", "A storm struck Brittany during the night, depriving almost 100,000 households of electricity."),
        ("Because of rough seas, boats to the island do not run from May to September.", "Owing to the turbulent sea, boat services to the island remain suspended from May to September."),
        ("The river is too polluted to swim in.", "The river is so polluted that nobody can swim in it."),
    ]
    for original, copy in same:
        assert "negation" not in _rules(original, copy), copy
    assert "negation" in _rules("The river is polluted but people swim in it.", "The river is polluted and nobody swims in it.")


@needs_spacy
def test_a_name_given_in_its_own_language_is_a_variant_either_way() -> None:
    for original, copy in (
        ("For news, check out the Argentine Polo Association website.", "For news, check the website of Asociación Argentina de Polo."),
        ("For news, check the website of Asociación Argentina de Polo.", "For news, check out the Argentine Polo Association website."),
    ):
        assert "named-entity" not in _rules(original, copy), copy
    # a name misspelt in plain letters is no foreign form of it
    assert "named-entity" in _rules("After seeing the horrors and atrocities of war during World War I, nations desired to avoid such a situation again in the future.",
                                    "After the horrible and cruel experiences of Worls War I, the nations wanted to avoid such a situation in the future.")


@needs_spacy
def test_a_multiword_name_missing_or_new_is_one_finding() -> None:
    r = _rules("On Tuesday, the Dutch House of Representatives voted for a motion calling on the government to halve gas extraction by 2025.",
               "The Tweede Kamer on Tuesday backed a motion asking the cabinet to cut gas production by half by 2025.", Severity.MINOR)
    assert r["named-entity"] == ["'Dutch House of Representatives' is missing from the copy", "'Tweede Kamer' is not in the original"], r


@needs_spacy
def test_no_lost_verb_where_the_parser_found_none_in_the_original_either() -> None:
    original = "Segregation and recombination shuffle variation back and forth between the two pools with each generation."
    assert "dropped-content" not in _rules(original, "With each generation, segregation and recombination shuffle variation back and forth between the two pools.")
    assert "dropped-content" in _rules("In the study the team found variation between the two pools with each generation.",
                                       "In the study the team variation between the two pools with each generation.")


@needs_spacy
def test_several_word_choices_in_a_near_verbatim_pair_are_a_close_translation() -> None:
    original = "At one point a member of the angry mob waved the head of a royal guard killed at Versailles in front of the terrified Queen."
    assert "wording" not in _rules(original, "At one point, a member of the angry crowd waved the head of a royal guard killed in Versailles in front of the terrified queen.")
    # one changed word is an edit of the copy
    assert "wording" in _rules(original, original.replace("mob", "crowd"))
