from harness import *
from merge_feat import feats
from fidelity.types import Group
import numpy as np
def apply(name, a, crit, delta):
    rows = feats(name, a)
    cand = []
    for r in rows:
        lab, bad, sm, s1, s2, L1, L2, g1, g2 = r
        v = crit(sm, s1 or 0.0, s2 or 0.0, L1, L2)
        if v > delta: cand.append((v, g1, g2))
    cand.sort(key=lambda t: -t[0])
    used = set(); merges = []
    for v, g1, g2 in cand:
        if g1 in used or g2 in used: continue
        used |= {g1, g2}; merges.append((g1, g2))
    groups = [(g.original, g.copy) for g in a.groups]
    out = [Group(o, c, "match" if o and c else ("omission" if o else "addition")) for o, c in groups if (o, c) not in used]
    out += [Group(g1[0]+g2[0], g1[1]+g2[1], "match") for g1, g2 in merges]
    return score(D[name]["gold"].groups, out).strict_f1, len(merges)
crits = {
 "wmean": lambda sm, s1, s2, L1, L2: sm - (s1*L1 + s2*L2)/(L1+L2),
 "max": lambda sm, s1, s2, L1, L2: sm - max(s1, s2),
 "mean": lambda sm, s1, s2, L1, L2: sm - (s1+s2)/2,
}
for n in ["textberg-fr-frmt", "textberg-de-fr"]:
    s, a = run(n)
    print(n, "base", round(s.strict_f1, 4))
    for cn, c in crits.items():
        print(" ", cn, [(d, *[round(x, 4) if isinstance(x, float) else x for x in apply(n, a, c, d)]) for d in (0.0, 0.05, 0.08, 0.1, 0.12, 0.15, 0.18)])
