import sys
sys.path.insert(0, "corpora/tools")
from harness import *
from cross import build
import numpy as np
def sim(f, o, c):
    return float(f.pairs(len(o), len(c), np.array([o[-1]]), np.array([c[-1]]))[0])
def rows(n):
    s, a = run(n); f, cal = build(n)
    gold = {(g.original, g.copy) for g in D[n]["gold"].groups}
    gone = {i for g in D[n]["gold"].groups if not g.copy for i in g.original}
    gadd = {j for g in D[n]["gold"].groups if not g.original for j in g.copy}
    out = []
    for g in a.groups:
        o, c = g.original, g.copy
        if not o or not c: continue
        full = sim(f, o, c)
        for side in (0, 1):
            run_ = (o, c)[side]
            if len(run_) < 2: continue
            for edge in (0, -1):
                x = run_[edge]
                rest = run_[1:] if edge == 0 else run_[:-1]
                oo, cc = (rest, c) if side == 0 else (o, rest)
                if len(oo) > 5 or len(cc) > 5: continue
                t = sim(f, oo, cc)

                lab = ((oo, cc) in gold) and (x in (gone if side == 0 else gadd))
                ok = (o, c) in gold
                out.append((lab, ok, t - full, (o, c), side, x, len(D[n]["so" if side == 0 else "sc"][x].text)))
    return out
for n in ["textberg-fr-frmt", "textberg-de-fr"]:
    R = rows(n)
    pos = [r for r in R if r[0]]; neg = np.array([r[2] for r in R if r[1]])
    print(n, "trim-good", [(round(r[2], 3), r[3], r[5], r[6]) for r in pos])
    print("  gold groups' edge trims: gain quantiles", np.quantile(neg, [.5, .9, .95, .99, 1]).round(3), len(neg))
    print("  gold-group trims with gain > 0.05:", [(round(r[2], 3), r[3], r[5], r[6]) for r in R if r[1] and r[2] > 0.05])
