"""Speed of the packaged MiniLM embedder: the numpy fast path against torch and sentence-transformers.

In: the DEMETR dev sentences (``--sentences``, default ../shared/benchmarks/demetr-flores/demetr_flores.jsonl;
unique ``original``/``copy``/``mt`` strings, file order). Out (stdout): for each implementation
  * cold: wall time of a fresh ``python`` that imports it, loads the model and embeds one sentence,
    median of ``--cold-runs`` runs (interpreter start included);
  * sentences/s embedding the first 100 / 1,000 / 10,000 sentences in one warm process;
  * agreement: the smallest cosine between its vectors and sentence-transformers' on the 1,000 set.

Implementations:
  fast   fidelity.embed.MiniLM (fidelity.models.minilm, numpy; what fidelity uses)
  torch  the same tokenisation and batching with the forward pass in torch (measured, not shipped)
  st     sentence-transformers' SentenceTransformer(folder).encode, batch 64 (what fidelity used before)

    python benchmarks/bench_embed.py                         # everything (about 10 minutes on 2 cores)
    python benchmarks/bench_embed.py --impl fast --sizes 100 1000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SENTENCES = REPO.parent / "shared" / "benchmarks" / "demetr-flores" / "demetr_flores.jsonl"

# What each implementation runs in a fresh interpreter for the cold figure: everything a
# `fidelity diff` pays before its first vector.
COLD = {
    "fast": "from fidelity.embed import MiniLM; MiniLM().encode(['A first sentence to embed.'])",
    "torch": "import sys; sys.path.insert(0, {bench!r}); import bench_embed; bench_embed.torch_encoder().encode(['A first sentence to embed.'])",
    "st": (
        "import os; os.environ['HF_HUB_OFFLINE']='1'\n"
        "from sentence_transformers import SentenceTransformer; from fidelity.models import minilm_folder\n"
        "SentenceTransformer(str(minilm_folder()), device='cpu', local_files_only=True)"
        ".encode(['A first sentence to embed.'], show_progress_bar=False)"
    ),
}


def load_sentences(path: Path) -> list[str]:
    seen: dict[str, None] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for key in ("original", "copy", "mt"):
                seen.setdefault(row[key], None)
    return list(seen)


def torch_encoder():  # type: ignore[no-untyped-def]
    """The numpy encoder with its forward pass replaced by torch (same weights, tokens, batches)."""
    import torch
    import torch.nn.functional as F

    from fidelity.models import BertSentenceEncoder, minilm_folder

    torch.set_num_threads(os.cpu_count() or 1)

    class TorchBert(BertSentenceEncoder):
        def __init__(self) -> None:
            super().__init__(minilm_folder())
            t = torch.from_numpy
            self.t_word, self.t_pos = t(self.word_emb), t(self.pos_type_emb)
            self.t_emb_ln = tuple(t(a) for a in self.emb_ln)
            # torch's linear wants (out, in): the numpy encoder stores (in, out).
            self.t_layers = [
                {k: (t(np.ascontiguousarray(v.T)) if v.ndim == 2 else t(v)) for k, v in vars(layer).items()}
                for layer in self.layers
            ]

        @torch.inference_mode()
        def _forward(self, tokens, mask):  # type: ignore[no-untyped-def]
            n, width = tokens.shape
            h, heads = self.hidden, self.heads
            ids = torch.from_numpy(tokens)
            keep = torch.from_numpy(mask).bool()[:, None, None, :]
            x = self.t_word[ids] + self.t_pos[:width]
            x = F.layer_norm(x, (h,), *self.t_emb_ln, eps=self.eps)
            for p in self.t_layers:
                qkv = F.linear(x, p["qkv_w"], p["qkv_b"]).view(n, width, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
                ctx = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=keep)
                ctx = ctx.transpose(1, 2).reshape(n, width, h)
                x = F.layer_norm(F.linear(ctx, p["out_w"], p["out_b"]) + x, (h,), p["ln1_g"], p["ln1_b"], eps=self.eps)
                up = F.gelu(F.linear(x, p["up_w"], p["up_b"]))
                x = F.layer_norm(F.linear(up, p["down_w"], p["down_b"]) + x, (h,), p["ln2_g"], p["ln2_b"], eps=self.eps)
            return x.numpy()

    return TorchBert()


def make_encoder(impl: str) -> Callable[[Sequence[str]], np.ndarray]:
    if impl == "fast":
        from fidelity.embed import MiniLM

        return MiniLM().encode
    if impl == "torch":
        return torch_encoder().encode
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from fidelity.models import minilm_folder

    model = SentenceTransformer(str(minilm_folder()), device="cpu", local_files_only=True)
    return lambda texts: model.encode(list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False)


def cold_seconds(impl: str, runs: int) -> list[float]:
    code = COLD[impl].format(bench=str(Path(__file__).resolve().parent))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code], check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", nargs="+", default=["fast", "torch", "st"], choices=["fast", "torch", "st"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 1000, 10000])
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--sentences", type=Path, default=DEFAULT_SENTENCES)
    args = parser.parse_args()

    sentences = load_sentences(args.sentences)
    print(
        f"{len(sentences)} unique sentences from {args.sentences}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}"
    )
    agree_n = 1000 if 1000 in args.sizes else min(args.sizes)
    vectors: dict[str, np.ndarray] = {}
    for impl in args.impl:
        if args.cold_runs:
            cold = cold_seconds(impl, args.cold_runs)
            print(
                f"{impl:6} cold load + first sentence: median {statistics.median(cold):.2f} s  ({', '.join(f'{t:.2f}' for t in cold)})"
            )
        encode = make_encoder(impl)
        encode(sentences[:8])  # first call pays one-off allocation and thread start-up
        for n in args.sizes:
            texts = sentences[:n]
            start, cpu_start = time.perf_counter(), time.process_time()
            out = encode(texts)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            # CPU seconds as well: on a shared machine wall time says more about the neighbours.
            print(f"{impl:6} {n:6} sentences: {took:7.2f} s  {n / took:7.1f} sentences/s  (CPU {cpu:6.2f} s)")
            if n == agree_n:
                vectors[impl] = np.asarray(out, dtype=np.float32)
        sys.stdout.flush()
    if "st" in vectors:
        for impl, vec in vectors.items():
            if impl != "st":
                cos = np.sum(vec * vectors["st"], axis=1)
                print(f"{impl:6} vs st on {agree_n} sentences: min cosine {cos.min():.7f}, mean {cos.mean():.7f}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
