import pickle, sys, time
from pathlib import Path
from dataclasses import replace
import numpy as np
from fidelity.align import settings_for, side_vectors, overlap_vectors, MONOLINGUAL
from fidelity.embed import CachedEmbedder, get_embedder, choose_model
from fidelity.eval.align import read_gold, find_gold
from fidelity.extract import extract
from fidelity.segment import segment
GOLD = Path("corpora/gold")
emb = {}
out = {}
for p in find_gold(GOLD):
    g = read_gold(p)
    split = "lines" if g.split == "lines" else "sentences"
    fmt = "lines" if split == "lines" else "auto"
    langs = (g.language, g.meta.get("copy-language", g.language))
    so = segment(extract(str(g.original), format=fmt), language=langs[0], split=split)
    sc = segment(extract(str(g.copy), format=fmt), language=langs[1], split=split)
    model = choose_model(langs, ("latin","latin"))
    if model not in emb: emb[model] = CachedEmbedder(get_embedder(model))
    t=time.time()
    vo = emb[model].encode([s.text for s in so]); vc = emb[model].encode([s.text for s in sc])
    rec = dict(gold=g, so=so, sc=sc, vo=np.asarray(vo), vc=np.asarray(vc), langs=langs, model=model)
    if g.name.startswith("textberg"):
        rec["oo"] = overlap_vectors(emb[model], [s.text for s in so], 5, 3)
        rec["oc"] = overlap_vectors(emb[model], [s.text for s in sc], 5, 3)
    print(g.name, model, len(so), len(sc), time.time()-t, flush=True)
    out[g.name] = rec
pickle.dump(out, open("/tmp/e18/data.pkl","wb"))
