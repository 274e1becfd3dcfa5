"""English language data for the rules: the word lists each rule family reads.

Number words, months, units and multipliers (numbers, parsing); negation cues, implicit
negatives and the words that bound or contrast them (polarity); gender-marked words; the
function words whose loss breaks a sentence (grammar); contractions, modal and reporting verbs,
unit names (wording); name joiners and temperature scales (names). Sections below name the
rule module that reads each table.

A second language is a second folder beside this one with the same names (spaCy's
``spacy/lang/en``). Not yet data: the English inside some patterns of ``fidelity.rules.parsing``
("every other", "p.m.", "hours") and the rules' choice of this module, which is fixed (the
checks read English; ``Options.language`` chooses the sentence segmenter only).
"""

from __future__ import annotations

import re

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"})


# Generic English negation cues (sentential and constituent negation).
NEGATION_CUES = frozenset(
    "not n't no never nobody nothing none neither nor nowhere without cannot noone".split()
)


# Verbs and adjectives that say "not" in their meaning (negative implicatives and prohibitives):
# "failed to stop" says what "did not stop" says, "lacks water" what "has no water" says,
# "forbidden" what "not allowed" says. Compared by lemma;
# adjectives in "-less" (jobless, harmless) count too (``_implicit_negatives``). Not
# "seldom"/"hardly", which are weaker than "not" (on the dev split both counted real negation
# perturbations as paraphrase).
IMPLICIT_NEGATIVES = frozenset("fail lack absent unable refuse deny prevent avoid neglect cease forbid prohibit ban deprive suspend".split())


# Of the nouns, only those that say "no X": "in the absence of cues" ~ "when there are no cues",
# "a lack of water" ~ "no water". Not "failure" and the like: "despite the failure of the talks"
# negates no clause (a dev negation perturbation).
IMPLICIT_NEGATIVE_NOUNS = frozenset("absence lack inability".split())


# Gender-marked English words (pronouns and common kinship/role nouns).
MASCULINE = frozenset(
    "he him his himself man men boy boys father fathers son sons brother brothers husband husbands "
    "king kings mr gentleman gentlemen male males grandfather uncle nephew boyfriend".split()
)


FEMININE = frozenset(
    "she her hers herself woman women girl girls mother mothers daughter daughters sister sisters wife wives "
    "queen queens mrs ms lady ladies female females grandmother aunt niece girlfriend".split()
)


NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "dozen": 12, "half": 0.5, "twice": 2, "thrice": 3, "double": 2,
    "both": 2,  # "both of which" = "the two": ambiguous, it only ever matches a 2 on the other side
    "quarter": 0.25,  # "a quarter of" = 25%; also a season of the year: ambiguous
    "nil": 0, "noon": 12, "midday": 12, "midnight": 0,  # a score ("2-0", "two-nil") and clock times
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
    "eighties": 80, "nineties": 90,  # decades: "the nineties" ~ "the 1990s" / "the '90s" (``equivalents``)
}  # fmt: skip


# Month names count as their number, so that "September 11" and "9/11" or "11.9." state the same
# date; alone they are weak evidence (see ``number_hits``), and a changed month is a changed name.
MONTHS = {m: k for k, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sep sept", "october oct", "november nov", "december dec"), start=1) for m in names.split()}  # fmt: skip


# Units with their size in the next smaller unit and the pattern of their name: "1.2 km" is 1,200
# metres, "two centuries" 200 years, "48 hours" two days (``equivalents``).
UNITS = {
    "km": (r"km|kilomet(?:er|re)s?|kg|kilo(?:gram)?s?", 1000.0),  # and kg -> g
    "century": (r"centur(?:y|ies)", 100.0),
    "decade": (r"decades?", 10.0),
    "week": (r"weeks?", 7.0),
    "fortnight": (r"fortnights?", 14.0),
    "day": (r"days?", 24.0),
    "hour": (r"hours?|hrs?", 60.0),
}


# ... and those that "a" makes a number of: "a week" is seven days ("a day" is no 24 hours)
A_UNIT = {u: UNITS[u][1] for u in ("week", "fortnight", "decade", "century")}


# "lakh" and "crore" are how South Asian English counts: "2 crore" = 20 million
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "lakh": 100_000, "million": 1_000_000, "crore": 10_000_000, "billion": 1_000_000_000, "trillion": 1e12}


# --- Grammar: words a sentence needs (fidelity.rules.grammar)

ARTICLES = frozenset({"the", "a", "an"})

MODALS = frozenset("can could may might will would shall should must".split())

SUBJECT_PRONOUNS = frozenset("i you he she we they".split())

FINITE_BE_HAVE = frozenset("is are was were has have".split())

FLOATING = frozenset("not n't each all both".split())  # "could each veto", "will all go": a verb follows

COMPARED = frozenset({"as", "than", "way", "like"})  # "drive the way you would on asphalt": the verb is understood

NO_CLAUSE_MARKS = frozenset({"as", "than", "if", "whether", "though"})  # "as was expected", "than is usual": inversion, no lost subject


# --- Names (fidelity.rules.names)

GLOSS_JOINERS = frozenset("of for and on the de del des du la le di da".split())

SCALE_SYMBOLS = ((re.compile(r"°\s?C\b|℃"), {"celsius", "centigrade"}), (re.compile(r"°\s?F\b|℉"), {"fahrenheit"}))


# --- Numbers (fidelity.rules.numbers)

AMBIGUOUS_NUMBER_WORDS = frozenset({"one", "first", "second", "half", "double", "twice", "dozen", "both", "quarter", "nil", "noon", "midday", "midnight", "week", "fortnight", "decade", "century"})


# Which way a figure is bounded (``numbers.bound_of``): the words just before it, or just after.
# A figure with none of these is stated as it is (exact, or only approximate: "about", "some").
# "over"/"under"/"above"/"below" count only directly before the figure ("over 100 people"; not
# "over the past 3 years"). A negation inside these ("no more than", "not fewer than", "without
# more than") is part of the bound, not a negation of the claim (``polarity``).
_CMP_MORE = r"(?:more|greater|higher|larger|longer|later|bigger|over)"
_CMP_LESS = r"(?:less|fewer|lower|smaller|shorter|earlier|under)"
# a negation, and up to two words before the bound that are no preposition: "no more than", "cannot
# be higher than", "must not exceed", "do not take more than" (but "not seen for more than ten
# years" negates the seeing, and its "more than ten years" is a lower bound)
_NEG = r"(?:no|not|never|without|cannot|\w+n[’']t)(?:\s+(?!(?:for|in|at|on|by|of|to|from|after|before|within|during|since|until|over|under|about|than)\b)\w+){0,2}?"
NEGATED_UPPER_BOUND = re.compile(rf"\b{_NEG}\s+(?:{_CMP_MORE}\s+than|exceed(?:s|ed|ing)?)\s+$", re.IGNORECASE)  # read first: "no more than" is no "more than"
NEGATED_LOWER_BOUND = re.compile(rf"\b{_NEG}\s+{_CMP_LESS}\s+than\s+$", re.IGNORECASE)
UPPER_BOUND_BEFORE = re.compile(
    rf"(?:\b{_CMP_LESS}\s+than|\bat\s+(?:the\s+)?most|\bup\s+to|\bas\s+(?:many|much|few|little)\s+as"
    rf"|\b(?:a|the)\s+maximum\s+of|\bmaximum(?:\s+of)?|\bnearly|\balmost|\bjust\s+(?:under|below|short\s+of)|\bshort\s+of|\bunder|\bbelow|\bwithin)\s+$",
    re.IGNORECASE,
)
LOWER_BOUND_BEFORE = re.compile(
    rf"(?:\b{_CMP_MORE}\s+than|\bat\s+(?:the\s+)?least|\b(?:a|the)\s+minimum\s+of|\bminimum(?:\s+of)?"
    rf"|\bin\s+excess\s+of|\bupwards\s+of|\bexceed(?:s|ed|ing)?|\bover|\babove|\bbeyond)\s+$",
    re.IGNORECASE,
)
UPPER_BOUND_AFTER = re.compile(r"^(?:\s*[^\W\d]+)?\s+(?:(?:or|and)\s+(?:less|fewer|under|below|lower)|at\s+(?:the\s+)?most|max(?:imum)?)\b", re.IGNORECASE)  # "18 years or under"
LOWER_BOUND_AFTER = re.compile(r"^(?:(?:\s*[^\W\d]+)?\s+(?:(?:or|and)\s+(?:more|over|above|higher|greater|upwards)|at\s+(?:the\s+)?least|min(?:imum)?)\b|\+)", re.IGNORECASE)  # "16 years and over", "100+"


# --- Polarity: negation and opposites (fidelity.rules.polarity)

NEGATIVE_PREFIXES = ("non", "dis", "un", "in", "im", "ir", "il")

UNIQUE = frozenset("first only alone sole solely exclusively".split())

CONTRAST = frozenset("before else other but except".split())

# an upper bound said without a negation: "no more than", "at most", "up to", "a maximum of"
BOUND_RE = re.compile(r"\b(?:no|not)\s+(?:more|greater|higher|larger|longer)\s+than\b|\bat\s+(?:the\s+)?most\b|\bup\s+to\b|\bmaximum\b|\bor\s+(?:less|fewer)\b", re.IGNORECASE)


# --- Roles (fidelity.rules.roles)

RECEIVING = frozenset("have get receive obtain gain enjoy".split())


# --- Wording: verb forms, contractions, units (fidelity.rules.wording)

REPORTING_VERBS = frozenset("say write report tell add note state explain".split())

MODAL_AUX = frozenset("will would shall should can could may might must do does did is are was were be been being has have had am".split())

# A contraction's parts spelt out ("hasn't" / "has not", "can't" / "cannot", "they're" / "they are"):
# spaCy splits both into the same words but for these forms. "'s" and "'d" stand for two words each.
CONTRACTED = {"n't": ("not",), "n’t": ("not",), "ca": ("can",), "wo": ("will",), "sha": ("shall",), "'re": ("are",), "’re": ("are",), "'ve": ("have",), "’ve": ("have",),
               "'ll": ("will",), "’ll": ("will",), "'m": ("am",), "’m": ("am",), "'s": ("is", "has"), "’s": ("is", "has"), "'d": ("would", "had"), "’d": ("would", "had")}

PERSONAL = {"it": False, "he": False, "she": False, "they": True, "we": True}  # pronoun -> plural

UNIT_NAMES = {
    "m": "metre", "metre": "metre", "meter": "metre", "km": "kilometre", "kilometre": "kilometre", "kilometer": "kilometre",
    "cm": "centimetre", "centimetre": "centimetre", "centimeter": "centimetre", "mm": "millimetre", "millimetre": "millimetre", "millimeter": "millimetre",
    "kg": "kilogram", "kilogram": "kilogram", "kilo": "kilogram", "g": "gram", "gram": "gram", "gramme": "gram", "t": "tonne", "tonne": "tonne",
    "l": "litre", "litre": "litre", "liter": "litre", "ml": "millilitre", "millilitre": "millilitre", "milliliter": "millilitre",
    "ft": "foot", "foot": "foot", "feet": "foot", "in": "inch", "inch": "inch", "inches": "inch", "mi": "mile", "mile": "mile",
    "lb": "pound", "lbs": "pound", "oz": "ounce", "ounce": "ounce", "ha": "hectare", "hectare": "hectare",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "min": "minute", "mins": "minute", "minute": "minute", "sec": "second", "secs": "second",
    "mph": "miles per hour", "km/h": "kilometres per hour", "kph": "kilometres per hour",
}

NAMING = frozenset({"call", "name", "dub", "term"})
