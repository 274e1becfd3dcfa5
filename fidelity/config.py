"""The ``fidelity check`` configuration: ``fidelity.toml`` or ``[tool.fidelity]`` in ``pyproject.toml``.

In: a TOML file (found by ``find_config`` walking up from the current directory) and the
manifests it names. Out: a validated ``Config`` — the pairs to check (explicit pairs, globs
pairing files by name, CSV/JSONL manifests), the policy (``fail-on``, ``min-score``,
``select``/``ignore``), per-partner and per-glob overrides, and the glossary of protected terms.

Every problem is a ``ConfigError`` whose one-line message names the file, the line, the key
and the valid choices. tomllib keeps no positions, so ``_KeyLines`` finds a key's line by
scanning the file text; where it cannot (a key inside an inline table) it names the line of
the nearest enclosing key.

Paths in the config are relative to the config file's folder; paths in a manifest are
relative to the manifest's folder. Every path the config or a manifest names must stay inside
the project (the config's folder): a config or manifest may come from a pull request, and
what fidelity reads it quotes in its reports (``inside``).

The data types and the TOML schema live here; the CSV/JSONL manifest reader, a file format of
its own, is ``fidelity.manifest``.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fidelity.errors import ConfigError, InputError
from fidelity.limits import MAX_DEPTH, check_depth, read_bytes
from fidelity.types import Category, GlossaryTerm, Severity

CONFIG_NAMES = ("fidelity.toml", ".fidelity.toml", "pyproject.toml")
"""Looked for in this order in each folder, from the current one up to the root."""

OUTPUT_FORMATS = ("text", "concise", "json", "jsonl", "github", "sarif", "junit", "gitlab", "markdown", "html")
SPLITS = ("sentences", "lines")
SEVERITIES = tuple(s.value for s in Severity)


@dataclass(frozen=True)
class Policy:
    """When a pair fails the gate: a finding at or above ``fail_on``, or a score below ``min_score``."""

    fail_on: Severity = Severity.MAJOR
    min_score: float | None = None
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyPatch:
    """Policy keys set by an override or on the command line; ``None`` leaves the value as it is."""

    fail_on: Severity | None = None
    min_score: float | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None

    def apply(self, policy: Policy) -> Policy:
        return replace(
            policy,
            fail_on=self.fail_on if self.fail_on is not None else policy.fail_on,
            min_score=self.min_score if self.min_score is not None else policy.min_score,
            select=self.select if self.select is not None else policy.select,
            ignore=self.ignore if self.ignore is not None else policy.ignore,
        )


@dataclass(frozen=True)
class PairSpec:
    """One original and one copy to compare. ``error`` is set when the pair could not even be named
    properly (a manifest row without a copy, a copy without a same-named original); the gate then
    reports it as an error row instead of comparing."""

    original: Path
    copy: Path
    partner: str | None = None
    source: str = ""  # where the pair was defined, e.g. "pairs.csv:4"
    error: str | None = None


@dataclass(frozen=True)
class Override:
    """Policy for the pairs of one partner and/or whose copy path matches a glob."""

    patch: PolicyPatch
    partner: str | None = None
    copies: str | None = None  # glob, relative to the config's folder
    source: str = ""

    def matches(self, pair: PairSpec, root: Path) -> bool:
        if self.partner is not None and pair.partner != self.partner:
            return False
        if self.copies is not None:
            try:
                rel = pair.copy.resolve().relative_to(root.resolve())
            except ValueError:
                rel = pair.copy
            # fnmatch, not Path.match: `*` may cross folders, and a glob reads from the root
            if not fnmatch.fnmatch(rel.as_posix(), self.copies):
                return False
        return True


@dataclass(frozen=True)
class Config:
    path: Path | None  # None: no config file found, defaults
    root: Path  # folder that relative paths start from
    model: str = "auto"  # auto: chosen per pair by its languages (pipeline.resolve)
    language: str = "auto"  # auto: each text's own (fidelity.langid); "en"; "de:fr" (original:copy)
    split: str = "sentences"
    keep_boilerplate: bool = False
    output_format: str | None = None
    policy: Policy = field(default_factory=Policy)
    pairs: tuple[PairSpec, ...] = ()
    overrides: tuple[Override, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    information_uri: str | None = None  # SARIF's informationUri and helpUri (fidelity.report.sarif)

    def policy_for(self, pair: PairSpec) -> Policy:
        """The base policy with every matching override applied, later overrides winning."""
        policy = self.policy
        for o in self.overrides:
            if o.matches(pair, self.root):
                policy = o.patch.apply(policy)
        return policy


# ---------------------------------------------------------------- discovery


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``fidelity.toml``, ``.fidelity.toml`` or ``pyproject.toml`` with ``[tool.fidelity]``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            if _has_tool_fidelity(candidate):
                return candidate
    return None


def _has_tool_fidelity(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError):
        return False  # a broken pyproject.toml that is not ours: keep walking up
    return isinstance(data.get("tool"), dict) and "fidelity" in data["tool"]


# ---------------------------------------------------------------- loading


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, links resolved, is ``root`` or under it. A path that cannot be
    resolved (a symlink loop) counts as inside: reading it then fails with its own error."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return True



def read_text(path: Path, what: str, encoding: str) -> str:
    """A config file or manifest as text, through the bounded reader (a regular file within
    ``MAX_BYTES``); a missing, unreadable or undecodable one is a ``ConfigError`` naming it."""
    try:
        data = read_bytes(path, str(path))
    except InputError as exc:
        raise ConfigError(f"{path}: {what} not found" if exc.problem == "no such file" else f"{path}: {what} {exc.problem}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read {what} (not {encoding.removesuffix('-sig').upper()}: byte {exc.start})") from None


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; ``None`` gives the defaults rooted at the current folder."""
    if path is None:
        return Config(path=None, root=Path.cwd())
    text = read_text(path, "config file", "utf-8-sig")  # Windows editors write a BOM
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(f"{path}: TOML nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:  # int() of a number past Python's digit limit
        raise ConfigError(f"{path}: not valid TOML (a number longer than {sys.get_int_max_str_digits()} digits)") from None
    try:
        check_depth(data, "TOML")
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    prefix: tuple[str | int, ...] = ()
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "fidelity" not in tool:
            raise ConfigError(f"{path}: has no [tool.fidelity] table")
        data, prefix = tool["fidelity"], ("tool", "fidelity")
    return _Reader(path, text, prefix).config(data)


TOP_KEYS = (
    "model", "language", "split", "keep-boilerplate", "output-format",
    "fail-on", "min-score", "select", "ignore",
    "pairs", "globs", "manifest", "overrides", "glossary", "information-uri",
)  # fmt: skip
POLICY_KEYS = ("fail-on", "min-score", "select", "ignore")
PAIR_KEYS = ("original", "copy", "partner")
GLOB_KEYS = ("originals", "copies", "partner")
OVERRIDE_KEYS = ("partner", "copies", *POLICY_KEYS)
GLOSSARY_KEYS = ("term", "variants", "case-sensitive")


class _KeyLines:
    """Line numbers of keys and tables in TOML text, keyed by path (array tables get an index)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    _KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=""")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        table: tuple[str | int, ...] = ()
        counters: dict[tuple[str | int, ...], int] = {}
        depth = 0  # open brackets of a multi-line array: its lines are values, not keys
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if depth == 0 and (m := self._HEADER.match(line)):
                base = _dotted(m.group(2))
                if m.group(1) == "[[":
                    counters[base] = counters.get(base, -1) + 1
                    self.lines.setdefault(base, number)
                    table = (*base, counters[base])
                else:
                    table = base
                self.lines.setdefault(table, number)
                continue
            if depth == 0 and (m := self._KEY.match(line)):
                self.lines.setdefault((*table, *_dotted(m.group(1))), number)
            depth = max(0, depth + _bracket_balance(stripped))

    def line(self, path: tuple[str | int, ...]) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _dotted(key: str) -> tuple[str, ...]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""", key)
    return tuple(a or b or c for a, b, c in parts)


def _bracket_balance(line: str) -> int:
    """Net ``[`` minus ``]`` outside strings and comments (good enough to skip multi-line arrays)."""
    balance, quote = 0, ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch == "[":
            balance += 1
        elif ch == "]":
            balance -= 1
    return balance


class _Reader:
    """Validates the parsed TOML against the schema, with file and line in every error."""

    def __init__(self, path: Path, text: str, prefix: tuple[str | int, ...]) -> None:
        self.path = path
        self.root = path.parent
        self.keys = _KeyLines(text)
        self.prefix = prefix

    # -- errors

    def where(self, path: tuple[str | int, ...]) -> str:
        line = self.keys.line((*self.prefix, *path))
        return f"{self.path}:{line}" if line else str(self.path)

    def fail(self, path: tuple[str | int, ...], problem: str) -> ConfigError:
        return ConfigError(f"{self.where(path)}: {_key_name(path)}: {problem}")

    def check_keys(self, table: Mapping[str, Any], valid: Sequence[str], path: tuple[str | int, ...]) -> None:
        for key in table:
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise self.fail((*path, key), f"unknown key; {hint}valid keys: {', '.join(valid)}")

    # -- typed values

    def string(self, value: Any, path: tuple[str | int, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"expected a non-empty string, got {value!r}")
        return value

    def choice(self, value: Any, choices: Sequence[str], path: tuple[str | int, ...], what: str) -> str:
        if not isinstance(value, str) or value.lower() not in choices:
            raise self.fail(path, f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")
        return value.lower()

    def severity(self, value: Any, path: tuple[str | int, ...]) -> Severity:
        return Severity(self.choice(value, SEVERITIES, path, "severity"))

    def number(self, value: Any, path: tuple[str | int, ...], low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.fail(path, f"expected a number from {low:g} to {high:g}, got {value!r}")
        return float(value)

    def boolean(self, value: Any, path: tuple[str | int, ...]) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {value!r}")
        return value

    def url(self, value: Any, path: tuple[str | int, ...]) -> str:
        from fidelity.report.sarif import web_url

        if not isinstance(value, str) or not web_url(value.strip()):
            raise self.fail(path, f"expected an absolute http(s) URL, got {value!r}")
        return value.strip()

    def inside(self, name: str, path: tuple[str | int, ...]) -> Path:
        """``name`` relative to the config's folder, refused when it leads out of it."""
        if not inside(self.root, self.root / name):
            raise self.fail(path, f"{name!r} is outside the project ({self.root}); paths in the config must stay inside its folder")
        return self.root / name

    def strings(self, value: Any, path: tuple[str | int, ...]) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def rules(self, value: Any, path: tuple[str | int, ...]) -> tuple[str, ...]:
        from fidelity.rules import REGISTRY

        items = self.strings(value, path)
        names = sorted(set(REGISTRY) | {c.value for c in Category})
        for item in items:
            if item not in names:
                raise self.fail(path, f"unknown rule or category {item!r}; choose from: {', '.join(names)}")
        return items

    def tables(self, value: Any, path: tuple[str | int, ...]) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(path, f"expected an array of tables ([[{_key_name(path)}]]), got {value!r}")
        return value

    # -- the schema

    def config(self, data: Mapping[str, Any]) -> Config:
        from fidelity.embed import MODELS

        self.check_keys(data, TOP_KEYS, ())
        cfg = Config(path=self.path, root=self.root)
        if "model" in data:
            cfg = replace(cfg, model=self.choice(data["model"], ("auto", *MODELS), ("model",), "model"))
        if "language" in data:
            from fidelity.embed import parse_languages
            from fidelity.segment import language_name

            language = self.string(data["language"], ("language",))
            try:
                for lang in parse_languages(language):
                    if lang != "auto":
                        language_name(lang)
            except ConfigError as exc:
                raise self.fail(("language",), str(exc)) from None
            cfg = replace(cfg, language=language)
        if "split" in data:
            cfg = replace(cfg, split=self.choice(data["split"], SPLITS, ("split",), "split mode"))
        if "keep-boilerplate" in data:
            cfg = replace(cfg, keep_boilerplate=self.boolean(data["keep-boilerplate"], ("keep-boilerplate",)))
        if "output-format" in data:
            cfg = replace(cfg, output_format=self.choice(data["output-format"], OUTPUT_FORMATS, ("output-format",), "output format"))
        if "information-uri" in data:
            cfg = replace(cfg, information_uri=self.url(data["information-uri"], ("information-uri",)))
        cfg = replace(cfg, policy=self.policy_patch(data, ()).apply(Policy()))

        pairs: list[PairSpec] = []
        for i, table in enumerate(self.tables(data.get("pairs", []), ("pairs",))):
            pairs.append(self.pair(table, ("pairs", i)))
        for i, table in enumerate(self.tables(data.get("globs", []), ("globs",))):
            pairs.extend(self.glob(table, ("globs", i)))
        if "manifest" in data:
            from fidelity.manifest import read_manifest  # it reads PairSpec from here

            for i, name in enumerate(self.strings(data["manifest"], ("manifest",))):
                self.inside(name, ("manifest", i))
                try:
                    pairs.extend(read_manifest(self.root / name, root=self.root))
                except ConfigError as exc:
                    raise ConfigError(f"{self.where(('manifest', i))}: manifest: {exc}") from None
        overrides = [self.override(t, ("overrides", i)) for i, t in enumerate(self.tables(data.get("overrides", []), ("overrides",)))]
        glossary = self.glossary(data.get("glossary", []), ("glossary",))
        return replace(cfg, pairs=tuple(pairs), overrides=tuple(overrides), glossary=glossary)

    def policy_patch(self, table: Mapping[str, Any], path: tuple[str | int, ...]) -> PolicyPatch:
        return PolicyPatch(
            fail_on=self.severity(table["fail-on"], (*path, "fail-on")) if "fail-on" in table else None,
            min_score=self.number(table["min-score"], (*path, "min-score"), 0, 100) if "min-score" in table else None,
            select=self.rules(table["select"], (*path, "select")) if "select" in table else None,
            ignore=self.rules(table["ignore"], (*path, "ignore")) if "ignore" in table else None,
        )

    def pair(self, table: Mapping[str, Any], path: tuple[str | int, ...]) -> PairSpec:
        self.check_keys(table, PAIR_KEYS, path)
        for key in ("original", "copy"):
            if key not in table:
                raise self.fail(path, f"missing required key {key!r} (keys: {', '.join(PAIR_KEYS)})")
        return PairSpec(
            original=self.inside(self.string(table["original"], (*path, "original")), (*path, "original")),
            copy=self.inside(self.string(table["copy"], (*path, "copy")), (*path, "copy")),
            partner=self.string(table["partner"], (*path, "partner")) if "partner" in table else None,
            source=self.where(path),
        )

    def glob(self, table: Mapping[str, Any], path: tuple[str | int, ...]) -> list[PairSpec]:
        """Each file matching ``copies`` is paired with the file of the same name matching ``originals``.

        The partner is ``partner`` when given, else the name of the copy's folder.
        """
        self.check_keys(table, GLOB_KEYS, path)
        for key in ("originals", "copies"):
            if key not in table:
                raise self.fail(path, f"missing required key {key!r} (keys: {', '.join(GLOB_KEYS)})")
        originals = self.matches(table, "originals", path)
        copies = self.matches(table, "copies", path)
        if not copies:
            raise self.fail((*path, "copies"), f"matches no file under {self.root}")
        by_name: dict[str, Path] = {}
        for p in originals:
            by_name.setdefault(p.name, p)
        original_set = set(originals)
        partner = self.string(table["partner"], (*path, "partner")) if "partner" in table else None
        out = []
        for copy in copies:
            if copy in original_set:
                continue  # a broad copies glob may also match the originals themselves
            who = partner or copy.parent.name
            original = by_name.get(copy.name)
            if original is None:
                out.append(PairSpec(self.root / table["originals"], copy, who, self.where(path), f"no original named {copy.name!r} matches {table['originals']!r}"))
            else:
                out.append(PairSpec(original, copy, who, self.where(path)))
        return out

    def matches(self, table: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> list[Path]:
        """The regular files under the config's folder that glob ``table[key]`` matches: a glob
        is relative and stays inside the project (no absolute path, no ``..``, no symlink out)."""
        pattern = self.string(table[key], (*path, key))
        parts = Path(pattern).parts
        if not pattern or Path(pattern).is_absolute() or pattern.startswith(("/", "\\", "~")) or ".." in parts:
            raise self.fail((*path, key), f"glob {pattern!r} must be relative to the config's folder and stay inside it (no absolute path, ~ or ..)")
        root = self.root.resolve()
        try:
            found = [p for p in self.root.glob(pattern) if p.is_file() and p.resolve().is_relative_to(root)]
        except (ValueError, NotImplementedError, OSError, RuntimeError) as exc:
            raise self.fail((*path, key), f"glob {pattern!r} cannot be used ({exc})") from None
        return sorted(found)

    def override(self, table: Mapping[str, Any], path: tuple[str | int, ...]) -> Override:
        self.check_keys(table, OVERRIDE_KEYS, path)
        if "partner" not in table and "copies" not in table:
            raise self.fail(path, "an override needs 'partner' or 'copies' (a glob) to say which pairs it applies to")
        return Override(
            patch=self.policy_patch(table, path),
            partner=self.string(table["partner"], (*path, "partner")) if "partner" in table else None,
            copies=self.string(table["copies"], (*path, "copies")) if "copies" in table else None,
            source=self.where(path),
        )

    def glossary(self, value: Any, path: tuple[str | int, ...]) -> tuple[GlossaryTerm, ...]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of terms or [[glossary]] tables, got {value!r}")
        terms = []
        for i, entry in enumerate(value):
            here = (*path, i)
            if isinstance(entry, str):
                terms.append(GlossaryTerm(self.string(entry, here)))
                continue
            if not isinstance(entry, dict):
                raise self.fail(here, f"expected a term (string) or a table with keys {', '.join(GLOSSARY_KEYS)}, got {entry!r}")
            self.check_keys(entry, GLOSSARY_KEYS, here)
            if "term" not in entry:
                raise self.fail(here, "missing required key 'term'")
            terms.append(
                GlossaryTerm(
                    term=self.string(entry["term"], (*here, "term")),
                    variants=tuple(self.string(v, (*here, "variants")) for v in self.strings(entry.get("variants", []), (*here, "variants"))),
                    case_sensitive=self.boolean(entry.get("case-sensitive", False), (*here, "case-sensitive")),
                )
            )
        return tuple(terms)


def _key_name(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "config"


# ---------------------------------------------------------------- fidelity init

STARTER = '''\
# fidelity.toml: configuration for `fidelity check` (see docs/ci.md).
# Paths are relative to this file. Every key is optional; the values shown are the defaults
# or examples to adapt.

# Sentence embedder: auto (minilm for two English texts, use-m3 for any other language or two
# languages), minilm (English), use-m3 (multilingual), hashing (lexical, no model).
model = "auto"
# Language of the texts: auto (each text's own, told from its common words), en, or
# ORIGINAL:COPY such as de:fr. Chooses the segmenter, the model and, across languages, the checks.
language = "auto"
# Output format when --output-format and FIDELITY_OUTPUT_FORMAT are not given:
# text, concise, json, jsonl, github, sarif, junit, gitlab, markdown.
# output-format = "text"
# The project's web page, given to code-scanning tools as SARIF's informationUri and each
# rule's helpUri (default: the installed package's [project.urls], else none).
# information-uri = "https://example.org/fidelity"

# --- Policy ---------------------------------------------------------------------------
# A pair fails when a finding reaches this severity (minor, major, critical) ...
fail-on = "major"
# ... or when its score (0-100) is below this.
# min-score = 70
# Rules or categories to run (default: all; `fidelity rules` lists them) and to skip.
# select = ["omission", "number", "negation"]
# ignore = ["moved"]

# --- What to check --------------------------------------------------------------------
# Explicit pairs:
# [[pairs]]
# original = "articles/story.txt"
# copy = "partners/acme/story.txt"
# partner = "acme"

# Globs: every copy is paired with the original of the same file name; the partner is the
# copy's folder name unless `partner` is given.
# [[globs]]
# originals = "articles/*.txt"
# copies = "partners/*/*.txt"

# Manifests: CSV with a header original,copy,partner or JSONL objects with those keys.
# manifest = ["pairs.csv"]

# --- Overrides ------------------------------------------------------------------------
# Policy for one partner, or for copies matching a glob; later overrides win.
# [[overrides]]
# partner = "acme"
# fail-on = "critical"

# --- Glossary -------------------------------------------------------------------------
# Protected terms: wherever the original has one, the copy must have it unchanged or an
# accepted variant.
# [[glossary]]
# term = "European Union"
# variants = ["EU"]
# case-sensitive = false
'''
