"""The attention token tagger's fit (``train.py --token-model attention``; fidelity.judge.tagger).

    examples(sources, states, names) -> list[Example]     one per pair with token targets
    fit(examples, use, stop, epochs=None) -> (weights JSON, epochs run)
    probabilities(weights, examples) -> list of (t,) arrays (numpy, as fidelity.judge applies it)

Pure torch on CPU, one thread (the machine's 2 cores are shared). The states are the frozen
MiniLM token states evidence_for caches (float16) beside the evidence; nothing is fine-tuned.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

D = 64  # the network's width
CONV = 5  # tokens in the convolution's window
LR = 1e-3
WEIGHT_DECAY = 1e-4
BATCH = 32  # pairs
MAX_EPOCHS = 8
PATIENCE = 2  # epochs without a better loss on the stopping rows before the fit stops
SEED = 0
DROPOUT = 0.1  # on the projected states and the mixed token vector, while fitting


@dataclass
class Example:
    source: str
    row: int
    pair: int  # index into the row's evidence
    copy: np.ndarray  # (t,) row indices into the token matrix
    original: np.ndarray  # (s,)
    features: np.ndarray  # (t, f)
    target: np.ndarray | None  # (t,) or None: left out of the fit (still predicted)
    weight: float  # per token


def examples(sources: dict, targets: dict, names: tuple[str, ...], states: dict, source_weight: dict) -> tuple[list[Example], np.ndarray]:
    """Every pair of every source (``targets``: train.token_targets per source; ``states``: text ->
    TokenVectors) and the token matrix their indices point into (float16, state_inputs' rows);
    each source's tokens weigh ``source_weight`` of WMT23's in all."""
    from fidelity.judge.evidence import TOKEN_FEATURES
    from fidelity.judge.tagger import state_inputs
    from fidelity.segment import segment

    cols = [TOKEN_FEATURES.index(n) for n in names]
    texts = sorted(states)
    start, parts, at = {}, [], 0
    for t in texts:
        x = state_inputs(states[t]).astype(np.float16)
        start[t] = (at, len(x))
        parts.append(x)
        at += len(x)
    matrix = np.concatenate(parts) if parts else np.zeros((0, 1152), np.float16)
    del parts

    def side(sentences, indices) -> np.ndarray:  # type: ignore[no-untyped-def]
        return np.concatenate([np.arange(*_range(start[sentences[i].text])) for i in indices] or [np.zeros(0, np.int64)]).astype(np.int64)

    out = []
    counts = {}
    for name, src in sources.items():
        for k, (report, ev, s_copy, tt) in enumerate(zip(src.reports, src.evidence, src.s_copy, targets[name], strict=True)):
            if isinstance(report, str):
                continue
            s_orig = segment(report.original_doc)
            for j, (p, e) in enumerate(zip(report.pairs, ev, strict=True)):
                c = side(s_copy, p.copy)
                assert len(c) == len(e.tokens), (name, k, j, len(c), len(e.tokens))
                t = tt[j] if tt else None
                out.append(Example(name, k, j, c, side(s_orig, p.original), e.tokens[:, cols].astype(np.float32), t, 1.0))
                if t is not None and len(t):
                    counts[name] = counts.get(name, 0) + len(t)
    for x in out:  # as token_data weighs them: each source's total relative to WMT23's
        x.weight = source_weight[x.source] * counts.get("mqm", 1) / max(1, counts.get(x.source, 1))
    return out, matrix


def _range(at: tuple[int, int]) -> tuple[int, int]:
    return at[0], at[0] + at[1]


def _model(n_in: int, n_feat: int):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.proj = nn.Linear(n_in, D)
            self.query = nn.Linear(D, D, bias=False)
            self.key = nn.Linear(D, D, bias=False)
            self.value = nn.Linear(D, D, bias=False)
            self.mix = nn.Linear(4 * D, D)
            self.feat = nn.Linear(n_feat, D, bias=False)
            self.conv = nn.Conv1d(D, D, CONV, padding=CONV // 2)
            self.out = nn.Linear(D, 1)
            self.drop = nn.Dropout(DROPOUT)

        def forward(self, xc, xo, f, mc, mo):  # type: ignore[no-untyped-def]
            hc, ho = self.drop(self.proj(xc)), self.drop(self.proj(xo))
            logits = self.query(hc) @ self.key(ho).transpose(1, 2) / math.sqrt(D)
            logits = logits.masked_fill(mo[:, None, :] == 0, -1e9)
            att = torch.softmax(logits, dim=2) * mo[:, None, :]  # a one-sided pair attends to nothing
            a = att @ self.value(ho)
            z = self.drop(torch.relu(self.mix(torch.cat([hc, a, hc * a, hc - a], dim=2)) + self.feat(f))) * mc[:, :, None]
            z = z + torch.relu(self.conv(z.transpose(1, 2)).transpose(1, 2))
            return self.out(z)[:, :, 0]

    return Net()


def _batch(xs: list[Example], matrix, mean: np.ndarray, scale: np.ndarray):  # type: ignore[no-untyped-def]
    import torch

    n = max(1, max(len(x.copy) for x in xs))
    m = max(1, max(len(x.original) for x in xs))
    b = len(xs)
    width = matrix.shape[1]
    xc = np.zeros((b, n, width), np.float32)
    xo = np.zeros((b, m, width), np.float32)
    f = np.zeros((b, n, len(mean)), np.float32)
    mc = np.zeros((b, n), np.float32)
    mo = np.zeros((b, m), np.float32)
    y = np.zeros((b, n), np.float32)
    w = np.zeros((b, n), np.float32)
    for i, x in enumerate(xs):
        t, s = len(x.copy), len(x.original)
        xc[i, :t] = matrix[x.copy]
        xo[i, :s] = matrix[x.original]
        f[i, :t] = (x.features - mean) / scale
        mc[i, :t] = 1.0
        mo[i, :s] = 1.0
        if x.target is not None:
            y[i, :t] = x.target
            w[i, :t] = x.weight
    return [torch.from_numpy(a) for a in (xc, xo, f, mc, mo, y, w)]


def _batches(xs: list[Example], rng: np.random.Generator | None) -> list[list[Example]]:
    """Pairs of similar length together (less padding), the batches in random order when ``rng``."""
    order = sorted(range(len(xs)), key=lambda i: (len(xs[i].copy), len(xs[i].original)))
    out = [[xs[i] for i in order[k : k + BATCH]] for k in range(0, len(order), BATCH)]
    if rng is not None:
        rng.shuffle(out)  # type: ignore[arg-type]
    return out


def fit(data: list[Example], matrix: np.ndarray, names: tuple[str, ...], use, stop, epochs: int | None = None, log=print) -> tuple[dict, int]:  # type: ignore[no-untyped-def]
    """Fit on the examples ``use(x)`` selects; stop early on those ``stop(x)`` selects (the
    weighted loss), or run ``epochs`` when given. -> (weights JSON for Tagger.from_json, epochs)."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    train = [x for x in data if x.target is not None and len(x.copy) and use(x)]
    held = [x for x in data if x.target is not None and len(x.copy) and stop(x)] if epochs is None else []
    feats = np.concatenate([x.features for x in train])
    mean, scale = feats.mean(axis=0), feats.std(axis=0)
    scale[scale < 1e-6] = 1.0
    net = _model(matrix.shape[1], len(names))
    opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    held_batches = [_batch(b, matrix, mean, scale) for b in _batches(held, None)]

    def loss_of(batch) -> tuple:  # type: ignore[no-untyped-def]
        xc, xo, f, mc, mo, y, w = batch
        raw = net(xc, xo, f, mc, mo)
        return (torch.nn.functional.binary_cross_entropy_with_logits(raw, y, weight=w, reduction="sum"), w.sum())

    best, best_state, best_epoch, run = math.inf, None, 0, epochs or MAX_EPOCHS
    for epoch in range(1, run + 1):
        started = time.perf_counter()
        net.train()
        total = 0.0
        for b in _batches(train, rng):
            loss, w = loss_of(_batch(b, matrix, mean, scale))
            opt.zero_grad()
            (loss / w.clamp(min=1.0)).backward()
            opt.step()
            total += float(loss.detach())
        if epochs is not None:
            log(f"attention tagger: epoch {epoch}, train loss {total:.1f} ({time.perf_counter() - started:.0f} s)")
            continue
        net.eval()
        with torch.no_grad():
            num = den = 0.0
            for batch in held_batches:
                loss, w = loss_of(batch)
                num, den = num + float(loss), den + float(w)
        held_loss = num / max(den, 1e-9)
        log(f"attention tagger: epoch {epoch}, stopping-rows loss {held_loss:.4f} ({time.perf_counter() - started:.0f} s)")
        if held_loss < best:
            best, best_epoch = held_loss, epoch
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        elif epoch - best_epoch >= PATIENCE:
            break
    if best_state is not None:
        net.load_state_dict(best_state)
    else:
        best_epoch = run
    return export(net, names, mean, scale), best_epoch


def export(net, names: tuple[str, ...], mean: np.ndarray, scale: np.ndarray) -> dict:  # type: ignore[no-untyped-def]
    """The network's weights as fidelity.judge.tagger.Tagger.from_json reads them."""
    s = {k: v.detach().numpy() for k, v in net.state_dict().items()}

    def r(a: np.ndarray) -> list:  # type: ignore[type-arg]
        return np.asarray(a, dtype=np.float64).round(6).tolist()

    return {
        "kind": "attention",
        "features": list(names),
        "mean": r(mean), "scale": r(scale),
        "proj_w": r(s["proj.weight"].T), "proj_b": r(s["proj.bias"]),
        "query": r(s["query.weight"].T), "key": r(s["key.weight"].T), "value": r(s["value.weight"].T),
        "mix_w": r(s["mix.weight"].T), "mix_b": r(s["mix.bias"]), "feat": r(s["feat.weight"].T),
        "conv_w": r(s["conv.weight"]), "conv_b": r(s["conv.bias"]),
        "out_w": r(s["out.weight"].T), "out_b": r(s["out.bias"]),
    }  # fmt: skip


def probabilities(weights: dict, data: list[Example], matrix: np.ndarray) -> list[np.ndarray]:
    """Each example's token probabilities, by fidelity.judge.tagger (numpy) as the judge applies it."""
    from fidelity.judge.tagger import Tagger

    tagger = Tagger.from_json(weights)
    return [tagger.probabilities(matrix[x.copy].astype(np.float32), matrix[x.original].astype(np.float32), x.features) for x in data]
