"""``fidelity align ORIGINAL COPY`` (the alignment, Vecalign-style lines or JSON) and
``fidelity eval align [GOLD...]`` (strict/lax P/R/F1 and omission/addition/move P/R
against gold files; all of ``corpora/`` by default)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import typer

from fidelity.cli import cache as cache_options
from fidelity.cli.common import Split, TextOrJson, check_model_language, check_output, guarded, write_output

eval_app = typer.Typer(help="Measure fidelity's stages against gold data.", no_args_is_help=True)






def register(app: typer.Typer) -> None:
    app.command("align", no_args_is_help=True)(align_command)
    app.add_typer(eval_app, name="eval")
    eval_app.command("align")(eval_align)


@guarded
def align_command(
    original: str = typer.Argument(..., help="Original file, or - for stdin."),
    copy: str = typer.Argument(..., help="Copy file, or - for stdin."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text: one group per line, [0, 1]:[2] (Vecalign style, 'moved' marked); json: groups with kinds, scores and texts."),
    split: Split = typer.Option(Split.sentences, "--split", help="sentences: split with Punkt; lines: one sentence per line, as given."),
    model: str | None = typer.Option(None, "--model", "-m", help="Sentence embedder: minilm (English), use-m3 (multilingual), hashing (lexical, no model). Default: minilm for two English texts, use-m3 when the texts (or --language) are in another language or two, or in different scripts."),
    language: str = typer.Option("auto", "--language", "-l", help="Language of both texts (en), or ORIGINAL:COPY (de:fr): the sentence segmenter's language for each side, and the default model; auto: each text's own, told from its common words."),
    overlap: bool | None = typer.Option(None, "--overlap/--no-overlap", help="--overlap: embed each run of up to 5 sentences as one text (Vecalign-style overlap embeddings, 5x the model calls) to judge n:m groups, blended 3:1 with the average of its sentence vectors; --no-overlap: that average alone. Default: per pair, overlap for two languages (a translation), the average within one."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the alignment to this file (atomically; never one of the inputs) instead of stdout; - for stdout."),
    cache_dir: Path | None = cache_options.CACHE_DIR,
    no_cache: bool = cache_options.NO_CACHE,
) -> None:
    """Align the sentences of COPY to those of ORIGINAL and print the groups."""
    cache_options.apply(cache_dir, no_cache)
    from fidelity.align import align, settings_for, side_vectors
    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.errors import ConfigError
    from fidelity.eval.align import format_groups
    from fidelity.extract import TextFormat, extract
    from fidelity.pipeline import Options, languages, resolve, segmenter_languages
    from fidelity.segment import segment
    from fidelity.segment import signature as seg_signature

    if original == "-" and copy == "-":
        raise ConfigError("only one of ORIGINAL and COPY can be - (stdin)")
    check_output(output, (original, copy))
    check_model_language(model or "auto", language, split.value)
    fmt: TextFormat = "lines" if split == Split.lines else "auto"
    doc_o, doc_c = extract(original, format=fmt), extract(copy, format=fmt)
    resolved = resolve(doc_o, doc_c, Options(model=model or "auto", language=language, split=split.value))
    model, (lang_o, lang_c) = resolved.model, languages(resolved)
    seg_lang_o, seg_lang_c = segmenter_languages(resolved)
    s_o = segment(doc_o, language=seg_lang_o, split=split.value)
    s_c = segment(doc_c, language=seg_lang_c, split=split.value)
    embedder = CachedEmbedder(get_embedder(model))
    settings = settings_for((lang_o, lang_c))
    if overlap is not None:
        settings = replace(settings, overlap=overlap)
    e_o = side_vectors(embedder, [s.text for s in s_o], settings)
    e_c = side_vectors(embedder, [s.text for s in s_c], settings)
    alignment = align(s_o, s_c, e_o, e_c, settings=settings)
    seg_o, seg_c = seg_signature(seg_lang_o, split.value), seg_signature(seg_lang_c, split.value)
    seg = seg_o if seg_o == seg_c else f"{seg_o}+{seg_c}"  # each side's segmenter when they differ
    lang = f"lang:{lang_o}" if lang_o == lang_c else f"lang:{lang_o}>{lang_c}"
    signature = f"model:{embedder.name}-{embedder.version}|{lang}|{seg}|{alignment.settings}"
    if format == TextOrJson.json:
        doc = {
            "signature": signature,
            "original": {"name": original, "sentences": len(s_o)},
            "copy": {"name": copy, "sentences": len(s_c)},
            "groups": [
                {
                    "kind": g.kind,
                    "original": list(g.original),
                    "copy": list(g.copy),
                    "score": round(g.score, 4),
                    "original_text": " ".join(s_o[i].text for i in g.original),
                    "copy_text": " ".join(s_c[j].text for j in g.copy),
                }
                for g in alignment.groups
            ],
        }
        from fidelity.report.escape import json_text

        write_output(json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n", output, (original, copy))
    else:
        write_output(f"# {signature}\n" + format_groups(alignment.groups), output, (original, copy))


@guarded
def eval_align(
    gold: list[Path] | None = typer.Argument(None, help="Gold files (.gold) or folders; default: every .gold under corpora/."),
    model: str | None = typer.Option(None, "--model", "-m", help="Sentence embedder: minilm (English), use-m3 (multilingual), hashing (lexical, no model). Default: chosen per gold pair from its languages and scripts, as fidelity align does."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text: a table; json: the figures."),
    overlap: bool | None = typer.Option(None, "--overlap/--no-overlap", help="--overlap: embed each run of up to 5 sentences as one text (Vecalign-style overlap embeddings, 5x the model calls) to judge n:m groups, blended 3:1 with the average of its sentence vectors; --no-overlap: that average alone. Default: per pair, overlap for two languages (a translation), the average within one."),
) -> None:
    """Align each gold pair and print strict/lax P/R/F1 (Vecalign score.py) and omission/addition/move P/R."""
    from fidelity.embed import CachedEmbedder, Embedder, get_embedder
    from fidelity.errors import ConfigError
    from fidelity.eval.align import evaluate_gold, find_gold, read_gold

    if not gold and not Path("corpora").is_dir():
        raise ConfigError("no .gold files found in corpora: the default is ./corpora of a clone of the repository; give gold files or folders")
    paths: list[Path] = []
    for item in gold or [Path("corpora")]:
        if item.is_dir():
            paths.extend(find_gold(item))
        else:
            paths.append(item)
    if not paths:
        raise ConfigError(f"no .gold files found in {', '.join(map(str, gold or [Path('corpora')]))}")
    loaded: dict[str, Embedder] = {}

    def embedder(name: str) -> Embedder:  # each model loaded once, on first use
        if name not in loaded:
            loaded[name] = CachedEmbedder(get_embedder(name))
        return loaded[name]

    if model is not None:
        embedder(model)  # an unknown name is refused before any work
    results = [evaluate_gold(read_gold(p), embedder=embedder(model) if model else embedder, overlap=overlap) for p in paths]
    if format == TextOrJson.json:
        rows = []
        for r in results:
            s = r.scores
            rows.append({
                "gold": str(r.gold.path), "model": r.model, "sentences": list(r.sentences),
                "strict": {"precision": s.strict_precision, "recall": s.strict_recall, "f1": s.strict_f1},
                "lax": {"precision": s.lax_precision, "recall": s.lax_recall, "f1": s.lax_f1},
                "omissions": vars(s.omissions), "additions": vars(s.additions), "moves": vars(s.moves),
                "settings": r.settings.signature, "seconds": {"embed": r.seconds_embed, "align": r.seconds_align},
            })  # fmt: skip
        models = sorted({r.model for r in results})
        sys.stdout.write(json.dumps({"model": models[0] if len(models) == 1 else "per pair", "results": rows}, indent=2) + "\n")
        return
    head = f"{'gold':<24} {'sents':>11}  {'strict P/R/F1':>17}  {'lax P/R/F1':>17}  {'omit P/R':>11}  {'add P/R':>11}  {'moved P/R':>11}"
    models = sorted({r.model for r in results})
    overlaps = sorted({r.settings.overlap for r in results})
    one = len(models) == 1 and len(overlaps) == 1  # else each row names its model and settings (chosen per pair by its languages)
    head += "" if one else "  model"
    setting = ("no" if not overlaps[0] else "yes") if len(overlaps) == 1 else "per pair"
    lines = [f"model: {models[0] if len(models) == 1 else 'per pair'}  overlap: {setting}", head, "-" * len(head)]
    for r in results:
        s = r.scores
        lines.append(
            f"{r.gold.name:<24} {r.sentences[0]:>5}x{r.sentences[1]:<5}  "
            f"{_f(s.strict_precision)}/{_f(s.strict_recall)}/{_f(s.strict_f1)}  "
            f"{_f(s.lax_precision)}/{_f(s.lax_recall)}/{_f(s.lax_f1)}  "
            f"{_f(s.omissions.precision)}/{_f(s.omissions.recall)}  {_f(s.additions.precision)}/{_f(s.additions.recall)}  "
            f"{_f(s.moves.precision)}/{_f(s.moves.recall)}" + ("" if one else f"  {r.model}{' overlap' if r.settings.overlap else ''}")
        )
    sys.stdout.write("\n".join(lines) + "\n")


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"
