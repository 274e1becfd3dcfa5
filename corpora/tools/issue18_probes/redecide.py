import sys
from harness import *
from cross import build
from dataclasses import replace
from fidelity import align as A
from fidelity.types import Group
import numpy as np
def cost(f, cal, s, o, c):
    a, b = len(o), len(c)
    if (a, b) not in cal.background: return np.inf
    ro, co = slice(o[-1], o[-1]+1), slice(c[-1], c[-1]+1)
    sim = f.pairs(a, b, np.array([o[-1]]), np.array([c[-1]]))[None, :]
    d = cal.distance(sim, (a, b), ro, co)
    v = float(A._group_cost(d, a, b, s.group_penalty)[0, 0])
    v += s.length_penalty * float(f.length_mismatch(a, b, ro, co, cal.length_ratio)[0, 0])
    return v
def redecide(name, margin, use_overlap=True):
    r = D[name]; base = settings_for(r["langs"])
    s0, a = run(name)
    s = replace(base, overlap=use_overlap)
    f, cal = build(name, s)
    groups = [(g.original, g.copy) for g in a.groups]
    cand = []
    for k, ((o1, c1), (o2, c2)) in enumerate(zip(groups, groups[1:])):
        if not (o1 and c1) and not (o2 and c2): continue
        o, c = o1 + o2, c1 + c2
        if not o or not c: continue
        if list(o) != list(range(o[0], o[0]+len(o))) or list(c) != list(range(c[0], c[0]+len(c))): continue
        if len(o) > 5 or len(c) > 5: continue
        pieces = sum(cost(f, cal, s, oo, cc) if (oo and cc) else cal.skip * (len(oo) + len(cc)) for oo, cc in ((o1, c1), (o2, c2)))
        joined = cost(f, cal, s, o, c)
        if joined + margin < pieces: cand.append((pieces - joined, k))
    cand.sort(reverse=True); used = set(); merge = set()
    for g, k in cand:
        if k in used or k + 1 in used: continue
        used |= {k, k + 1}; merge.add(k)
    out = []; k = 0
    while k < len(groups):
        if k in merge:
            o, c = groups[k][0] + groups[k+1][0], groups[k][1] + groups[k+1][1]; k += 2
        else:
            o, c = groups[k]; k += 1
        out.append(Group(o, c, "match" if o and c else ("omission" if o else "addition")))
    return s0.strict_f1, score(r["gold"].groups, out).strict_f1, len(merge)
for n in sys.argv[1].split(","):
    for ov in (True, False):
        print(n, "overlap" if ov else "avg", [(m, *[round(x, 4) if isinstance(x, float) else x for x in redecide(n, m, ov)]) for m in (0.0, 0.05, 0.1, 0.2, 0.3)], flush=True)
