"""Build fidelity's shipped lexical data from Debian's WordNet 3.0 and wamerican files.

In:  /usr/share/wordnet/{data,*.exc}   (Debian package ``wordnet-base``, WordNet 3.0)
     /usr/share/dict/american-english  (Debian package ``wamerican``, SCOWL size 50)
Out: fidelity/data/lexicon-antonyms.tsv.gz     pos, word, antonym (one antonym pair a line)
     fidelity/data/lexicon-synonyms.tsv.gz     pos, words (space-separated) of one synonym group a line:
                                               a synset's one-word lemmas, and for adjectives a head
                                               synset's words with one "similar to" satellite's words
     fidelity/data/lexicon-exceptions.tsv.gz   pos, inflected form, base form (morphy's *.exc)
     fidelity/data/lexicon-words.txt.gz        the word list, casefolded, no words with "'"
     fidelity/data/lexicon-proper.txt.gz       the words of the list that it has only capitalised (names:
                                               Paris, Schwartz), casefolded
     fidelity/data/lexicon-demonyms.tsv.gz     adjective<TAB>name, casefolded: an adjective's WordNet
                                               pertainym that is a name (french -> france, lunar -> moon)
     fidelity/data/lexicon-aliases.tsv.gz      the names of one thing, tab-separated, casefolded: every
                                               WordNet noun synset with two or more lemmas, one of them
                                               capitalised or multiword (Burma/Myanmar, Mideast/Middle East)
     fidelity/data/lexicon-classes.tsv.gz      name<TAB>class word, casefolded: the head word of what WordNet
                                               says a named thing is an instance of, and of that class's
                                               own class (earth -> planet, nile -> river,
                                               paris -> capital, city)
     fidelity/data/lexicon-negatives.tsv.gz    pos, word: adjectives and verbs whose first (most frequent) WordNet
                                               sense is defined by a negation other than a bare "not" ("barefoot":
                                               without shoes; "lost": no longer in your possession; "lose": fail
                                               to keep)
     fidelity/data/lexicon-clusters.tsv.gz     WordNet's adjective clusters, for indirect antonyms (huge ~ large,
                                               the opposite of small and of its satellites: tiny): "w", word, the
                                               clusters (head synset offsets) its senses belong to; "o", two
                                               clusters whose heads are direct antonyms
     fidelity/data/lexicon-WORDNET-LICENSE.txt and lexicon-SCOWL-COPYRIGHT.txt (verbatim)

Run from the repository root (``apt-get install -y wordnet-base wamerican`` first):

    python tools/build_lexicon.py [--wordnet /usr/share/wordnet] [--wordlist /usr/share/dict/american-english]

The output is deterministic (sorted lines, gzip without a timestamp): a rebuild from the same
Debian packages gives byte-identical files. ``read_debian`` is also what
``tests/test_nlp.py`` compares the shipped data against when the Debian files exist.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

WORDNET_DIR = Path("/usr/share/wordnet")
WORDLIST = Path("/usr/share/dict/american-english")
WORDNET_COPYRIGHT = Path("/usr/share/doc/wordnet-base/copyright")
WORDLIST_COPYRIGHT = Path("/usr/share/doc/wamerican/copyright")
OUT = Path(__file__).resolve().parent.parent / "fidelity" / "data"

_POS_FILES = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))


@dataclass
class Tables:
    """Everything fidelity.nlp needs from WordNet and the word list, as plain tables."""

    antonyms: dict[tuple[str, str], set[str]]  # (word, pos) -> antonyms; pos in n v a r
    exceptions: dict[str, dict[str, str]]  # pos -> inflected form -> base form
    words: set[str]  # casefolded, without words that contain "'"
    synonyms: set[tuple[str, str]] = field(default_factory=set)  # (pos, "w1 w2 ...") sorted words of one group
    aliases: set[str] = field(default_factory=set)  # "name1\tname2 ..." sorted names of one thing
    proper: set[str] = field(default_factory=set)  # casefolded words the list has only capitalised
    demonyms: set[tuple[str, str]] = field(default_factory=set)  # (adjective, place) casefolded
    classes: set[tuple[str, str]] = field(default_factory=set)  # (name, class head word) casefolded
    negatives: set[tuple[str, str]] = field(default_factory=set)  # (pos, word): first sense defined by a negation
    clusters: set[str] = field(default_factory=set)  # "w\tword\tid id ..." and "o\tid\tid" lines (adjective clusters)


def read_debian(wordnet_dir: Path = WORDNET_DIR, wordlist: Path = WORDLIST) -> Tables:
    """Read the tables from the Debian files (the reader fidelity.nlp used at run time before 0.1)."""
    words = _words(wordlist)
    return Tables(_antonyms(wordnet_dir), _exceptions(wordnet_dir), words, _synonyms(wordnet_dir, words), _aliases(wordnet_dir), _proper(wordlist), _demonyms(wordnet_dir), _classes(wordnet_dir), _negatives(wordnet_dir), _clusters(wordnet_dir, words))


def _clusters(root: Path, words: set[str]) -> set[str]:
    # WordNet organises adjectives in clusters: a head synset ("large") and its satellites
    # ("huge", "vast", pointer "&"), opposite the cluster of the head's antonym ("small", "tiny").
    # Two words in opposite clusters are indirect antonyms (Gross & Miller 1990). A cluster is
    # named by its head's byte offset; only one-word lemmas the word list has.
    blob = (root / "data.adj").read_bytes()
    of_word: dict[str, set[int]] = {}
    opposite: set[tuple[int, int]] = set()
    for fields in _synset_lines(blob):
        offset = int(fields[0])
        if fields[2] == b"a":
            head: int | None = offset
            opposite |= {(offset, o) for sym, o, _, _, _ in _pointers(fields) if sym == b"!"}
        else:
            head = next((o for sym, o, _, _, _ in _pointers(fields) if sym == b"&"), None)
        if head is None:
            continue
        for w in _synset_words(fields):
            if " " not in w and w in words:
                of_word.setdefault(w, set()).add(head)
    used = {h for hs in of_word.values() for h in hs}
    lines = {f"w\t{w}\t{' '.join(str(h) for h in sorted(hs))}" for w, hs in of_word.items()}
    lines |= {f"o\t{a}\t{b}" for a, b in opposite if a in used and b in used}
    return lines


def _demonyms(root: Path) -> set[tuple[str, str]]:
    # An adjective whose pertainym pointer ("\\") leads to a capitalised noun: a demonym and
    # its place (French -> France), or the adjective of a name (lunar -> Moon), read as the
    # antonyms are, by byte offset.
    adj, noun = (root / "data.adj").read_bytes(), (root / "data.noun").read_bytes()
    out: set[tuple[str, str]] = set()
    for fields in _synset_lines(adj):
        raw = _lemmas(fields)
        for sym, offset, tpos, src, tgt in _pointers(fields):
            if sym != b"\\" or tpos != b"n":
                continue
            t_raw = _lemmas(_synset_at(noun, offset))
            pairs = [(raw[src - 1], t_raw[tgt - 1])] if src and tgt else [(a, b) for a in raw for b in t_raw]
            for a, b in pairs:
                if b[:1].isupper():  # lunar -> Moon, as French -> France
                    out.add((a.casefold().replace("_", " "), b.casefold().replace("_", " ")))
    return out


def _classes(root: Path) -> set[tuple[str, str]]:
    # A noun synset with a capitalised lemma and an instance pointer ("@i"): each name with the
    # last word of every lemma of its class and of that class's class (Earth is an
    # instance of "terrestrial planet", a kind of "planet"; the Nile of "river"). A text may name
    # the thing by its class instead ("on Earth" / "on the planet").
    noun = (root / "data.noun").read_bytes()

    def parents(fields: list[bytes]) -> list[list[bytes]]:
        return [_synset_at(noun, offset) for sym, offset, tpos, _, _ in _pointers(fields) if sym in (b"@", b"@i") and tpos == b"n"]

    out: set[tuple[str, str]] = set()
    for fields in _synset_lines(noun):
        names = [w for w in _lemmas(fields) if w[:1].isupper()]
        if not names or not any(sym == b"@i" for sym, *_ in _pointers(fields)):
            continue  # one named thing only: a kind (Nile crocodile, Paris green) is no name
        heads = set()
        for parent in parents(fields):
            for ancestor in (parent, *parents(parent)):
                heads |= {w.rsplit("_", 1)[-1].casefold() for w in _lemmas(ancestor)}
        out |= {(n.casefold().replace("_", " "), h) for n in names for h in heads}
    return out


# A definition that opens with one of these says "not" in other words.
_NEGATIVE_DEFINITION = re.compile(rb"^(?:\([^)]*\) )?(?:never|without|lacking|unable|no longer|fail|fails|cease|refuse|having no|deprived of)\b")


def _negatives(root: Path) -> set[tuple[str, str]]:
    # The first synset an index line lists is the word's most frequent sense; its definition is
    # the gloss up to the first example (quoted) or the next definition (after ";").
    out: set[tuple[str, str]] = set()
    for pos, name in (("v", "verb"), ("a", "adj")):  # adverbs: "without" there is mostly manner ("without doubt")
        data = (root / f"data.{name}").read_bytes()
        for line in (root / f"index.{name}").read_bytes().split(b"\n"):
            fields = line.split()
            if not line or line.startswith(b"  ") or b"_" in fields[0]:
                continue
            first = int(fields[-int(fields[2])])
            synset = data[first : data.find(b"\n", first)]
            definition = synset.split(b" | ", 1)[1].split(b";")[0].split(b'"')[0].strip() if b" | " in synset else b""
            if _NEGATIVE_DEFINITION.match(definition):
                out.add((pos, fields[0].decode("utf-8", "ignore").casefold()))
    return out


def _proper(path: Path) -> set[str]:
    # The list writes names capitalised (Paris, Schwartz) and ordinary words in lower case; a word
    # it has only capitalised is a name, not the English word a foreign name was translated into.
    raw = [w for w in path.read_text(encoding="utf-8", errors="ignore").split() if "'" not in w]
    lower = {w for w in raw if w == w.casefold()}
    return {w.casefold() for w in raw if w != w.casefold()} - lower


def _aliases(root: Path) -> set[str]:
    # A noun synset with a capitalised or a multiword lemma lists the names of one thing: a place,
    # a body, an event ("Burma, Myanmar", "Mideast, Middle East", "aurora borealis, northern lights").
    out: set[str] = set()
    for fields in _synset_lines((root / "data.noun").read_bytes()):
        raw = _lemmas(fields)
        names = sorted({w.casefold().replace("_", " ") for w in raw})
        if len(names) >= 2 and any(ch.isupper() or ch == "_" for w in raw for ch in w):
            out.add("\t".join(names))
    return out


def _synonyms(root: Path, words: set[str]) -> set[tuple[str, str]]:
    # Only one-word lemmas that the word list knows: the checks compare single content words of
    # ordinary English, and this keeps the file small (about 22,000 groups, 180 kB gzip'd).
    # "similar to" (&) links an adjective satellite to its head (outraged ~ angry, simple ~ easy);
    # each group is a head with ONE satellite, so two satellites of one head (ample, gigantic:
    # both "similar to" large) are not offered as synonyms of each other.
    out: set[tuple[str, str]] = set()
    for pos, name in _POS_FILES:
        blob = (root / f"data.{name}").read_bytes()
        for fields in _synset_lines(blob):
            own = {w for w in _synset_words(fields) if " " not in w and w in words}
            if len(own) >= 2:
                out.add((pos, " ".join(sorted(own))))
            if pos != "a" or fields[2] != b"a" or not own:
                continue
            for sym, offset, _, _, _ in _pointers(fields):
                if sym != b"&":
                    continue
                sat = _synset_at(blob, offset)
                group = own | {w for w in _synset_words(sat) if " " not in w and w in words}
                if len(group) > len(own):
                    out.add((pos, " ".join(sorted(group))))
    return out


def _antonyms(root: Path) -> dict[tuple[str, str], set[str]]:
    # The database format is documented (wndb(5WN)): every synset line is found at its byte
    # offset and antonyms are lexical pointers "!", so only the lines that carry one are read.
    data = {p: (root / f"data.{n}").read_bytes() for p, n in _POS_FILES}
    out: dict[tuple[str, str], set[str]] = {}
    for pos, blob in data.items():
        i = 0
        while (j := blob.find(b" ! ", i)) >= 0:
            s = blob.rfind(b"\n", 0, j) + 1
            e = blob.find(b"\n", j)
            _add_line(out, pos, blob[s:e].split(b" "), data)
            i = e
    return out


def _synset_lines(blob: bytes) -> Iterator[list[bytes]]:
    """The fields of every synset line of a data file (the licence header lines start with two spaces)."""
    for line in blob.split(b"\n"):
        if line and not line.startswith(b"  "):
            yield line.split(b" ")


def _synset_at(blob: bytes, offset: int) -> list[bytes]:
    """The fields of the synset line at a byte offset (how pointers address their target)."""
    return blob[offset : blob.find(b"\n", offset)].split(b" ")


def _lemmas(fields: list[bytes]) -> list[str]:
    """A synset's lemmas as written (case kept, "_" for spaces), without adjective markers such as "(a)"."""
    return [fields[4 + 2 * k].decode("utf-8", "ignore").split("(")[0] for k in range(int(fields[3], 16))]


def _pointers(fields: list[bytes]) -> Iterator[tuple[bytes, int, bytes, int, int]]:
    """A synset line's pointers: (symbol, target offset, target part of speech, source word,
    target word); word numbers are 1-based, 0 for a pointer between whole synsets."""
    k = 4 + 2 * int(fields[3], 16)
    for _ in range(int(fields[k])):
        sym, offset, tpos, st = fields[k + 1 : k + 5]
        k += 4
        yield sym, int(offset), tpos, int(st[:2], 16), int(st[2:], 16)


def _synset_words(fields: list[bytes]) -> list[str]:
    return [w.casefold().replace("_", " ") for w in _lemmas(fields)]


def _add_line(out: dict[tuple[str, str], set[str]], pos: str, fields: list[bytes], data: dict[str, bytes]) -> None:
    words = _synset_words(fields)
    for sym, offset, tpos, src, tgt in _pointers(fields):
        if sym != b"!" or (src, tgt) == (0, 0):
            continue
        target_words = _synset_words(_synset_at(data["a" if tpos == b"s" else tpos.decode()], offset))
        if 0 < src <= len(words) and 0 < tgt <= len(target_words):
            out.setdefault((words[src - 1], pos), set()).add(target_words[tgt - 1])


def _exceptions(root: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for pos, name in _POS_FILES:
        table: dict[str, str] = {}
        exc = root / f"{name}.exc"
        if exc.is_file():
            for line in exc.read_text(encoding="utf-8", errors="ignore").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    table.setdefault(parts[0], parts[1])  # the first base form listed, as morphy's first answer
        out[pos] = table
    return out


def _words(path: Path) -> set[str]:
    words = path.read_text(encoding="utf-8", errors="ignore").split()
    return {w.casefold() for w in words if "'" not in w}


def _write_gz(path: Path, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 and no file name in the header: the same input gives byte-identical output
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(data)


def write(tables: Tables, out: Path = OUT) -> list[Path]:
    """Write the three data files into ``out``; returns their paths."""
    for row in [*tables.words, *(w for (w, _), a in tables.antonyms.items() for w in (w, *a))]:
        if "\t" in row or "\n" in row:
            raise ValueError(f"cannot store {row!r} in a TSV line")
    antonyms = sorted(f"{pos}\t{word}\t{ant}" for (word, pos), ants in tables.antonyms.items() for ant in ants)
    exceptions = sorted(
        f"{pos}\t{form}\t{base}" for pos, table in tables.exceptions.items() for form, base in table.items()
    )
    synonyms = sorted(f"{pos}\t{group}" for pos, group in tables.synonyms)
    paths = [out / "lexicon-antonyms.tsv.gz", out / "lexicon-exceptions.tsv.gz", out / "lexicon-words.txt.gz"]
    _write_gz(paths[0], antonyms)
    _write_gz(paths[1], exceptions)
    _write_gz(paths[2], sorted(tables.words))
    if tables.synonyms:
        paths.append(out / "lexicon-synonyms.tsv.gz")
        _write_gz(paths[-1], synonyms)
    if tables.aliases:
        paths.append(out / "lexicon-aliases.tsv.gz")
        _write_gz(paths[-1], sorted(tables.aliases))
    if tables.proper:
        paths.append(out / "lexicon-proper.txt.gz")
        _write_gz(paths[-1], sorted(tables.proper))
    if tables.demonyms:
        paths.append(out / "lexicon-demonyms.tsv.gz")
        _write_gz(paths[-1], sorted(f"{a}\t{b}" for a, b in tables.demonyms))
    if tables.negatives:
        paths.append(out / "lexicon-negatives.tsv.gz")
        _write_gz(paths[-1], sorted(f"{p}\t{w}" for p, w in tables.negatives))
    if tables.clusters:
        paths.append(out / "lexicon-clusters.tsv.gz")
        _write_gz(paths[-1], sorted(tables.clusters))
    if tables.classes:
        paths.append(out / "lexicon-classes.tsv.gz")
        _write_gz(paths[-1], sorted(f"{a}\t{b}" for a, b in tables.classes))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=WORDNET_DIR, help="WordNet 3.0 dict folder (data.noun, *.exc)")
    parser.add_argument("--wordlist", type=Path, default=WORDLIST, help="wamerican word list")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (fidelity/data)")
    args = parser.parse_args(argv)
    missing = [p for p in (args.wordnet / "data.noun", args.wordlist) if not p.is_file()]
    if missing:
        print(
            f"build_lexicon: missing {', '.join(map(str, missing))}; apt-get install -y wordnet-base wamerican",
            file=sys.stderr,
        )
        return 2
    tables = read_debian(args.wordnet, args.wordlist)
    paths = write(tables, args.out)
    for src, name in (
        (WORDNET_COPYRIGHT, "lexicon-WORDNET-LICENSE.txt"),
        (WORDLIST_COPYRIGHT, "lexicon-SCOWL-COPYRIGHT.txt"),
    ):
        if src.is_file():
            shutil.copyfile(src, args.out / name)
            paths.append(args.out / name)
        else:
            print(f"build_lexicon: warning: {src} not found; keep the existing {name}", file=sys.stderr)
    n_ant = sum(len(a) for a in tables.antonyms.values())
    n_exc = sum(len(t) for t in tables.exceptions.values())
    print(f"antonym pairs {n_ant}, exceptions {n_exc}, words {len(tables.words)}, synonym groups {len(tables.synonyms)}")
    for p in paths:
        print(f"{p.stat().st_size:>9,}  {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
