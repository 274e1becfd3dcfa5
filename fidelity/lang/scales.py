"""Words that scale a figure written before them ("4.2 million", "4,2 Millionen", "420万"), by
language (ISO 639-1), for comparing figures across languages (``fidelity.rules.figures``).

Data, as spaCy keeps its lexical tables: the multipliers each language writes after digits in
news text, from its standard number names (long scale where the language uses it: German
"Billion" and Spanish "billón" are 10^12, French "milliard" 10^9). Chinese and Japanese write
them straight after the digits. A language not listed reads English's.
"""

from __future__ import annotations

SCALES: dict[str, dict[str, float]] = {
    "en": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9},
    "de": {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "es": {"mil": 1e3, "millón": 1e6, "millones": 1e6, "billón": 1e12, "billones": 1e12},
    "ca": {"mil": 1e3, "milió": 1e6, "milions": 1e6, "bilió": 1e12, "bilions": 1e12},
    "it": {"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "mln": 1e6, "miliardo": 1e9, "miliardi": 1e9, "mld": 1e9},
    "pt": {"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "bilhão": 1e9, "bilhões": 1e9},
    "nl": {"duizend": 1e3, "miljoen": 1e6, "mln": 1e6, "miljard": 1e9, "mld": 1e9, "biljoen": 1e12},
    "sv": {"tusen": 1e3, "miljon": 1e6, "miljoner": 1e6, "miljard": 1e9, "miljarder": 1e9},
    "da": {"tusind": 1e3, "million": 1e6, "millioner": 1e6, "milliard": 1e9, "milliarder": 1e9},
    "no": {"tusen": 1e3, "million": 1e6, "millioner": 1e6, "milliard": 1e9, "milliarder": 1e9},
    "pl": {"tysiąc": 1e3, "tysięcy": 1e3, "tys": 1e3, "milion": 1e6, "miliony": 1e6, "milionów": 1e6, "mln": 1e6, "miliard": 1e9, "miliardy": 1e9, "miliardów": 1e9, "mld": 1e9},
    "cs": {"tisíc": 1e3, "milion": 1e6, "miliony": 1e6, "milionů": 1e6, "mil": 1e6, "miliarda": 1e9, "miliardy": 1e9, "miliard": 1e9, "mld": 1e9},
    "ru": {"тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "тыс": 1e3, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "млн": 1e6, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "млрд": 1e9},
    "uk": {"тисяча": 1e3, "тисячі": 1e3, "тисяч": 1e3, "тис": 1e3, "мільйон": 1e6, "мільйони": 1e6, "мільйонів": 1e6, "млн": 1e6, "мільярд": 1e9, "мільярди": 1e9, "мільярдів": 1e9, "млрд": 1e9},
    "el": {"χιλιάδες": 1e3, "εκατομμύριο": 1e6, "εκατομμύρια": 1e6, "εκατ": 1e6, "δισεκατομμύριο": 1e9, "δισεκατομμύρια": 1e9, "δισ": 1e9},
    "tr": {"bin": 1e3, "milyon": 1e6, "milyar": 1e9},
    "zh": {"千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8},
    "ja": {"千": 1e3, "万": 1e4, "億": 1e8},
    "ko": {"천": 1e3, "만": 1e4, "억": 1e8},
}
