from harness import *
import numpy as np
from fidelity import align as A
def build(name, s=None):
    r = D[name]; s = s or settings_for(r["langs"])
    eo, ec = (r["oo"], r["oc"]) if s.overlap else (r["vo"], r["vc"])
    f = A._Features.build(r["so"], r["sc"], eo, ec, s)
    cal = A._calibration(f, s, None)
    return f, cal
def zs(f, cal, o, c, capped=False):
    if not o or not c or len(o) > 6 or len(c) > 6: return None
    return float(cal.z(f.pairs(len(o), len(c), np.array([o[-1]]), np.array([c[-1]])), (len(o), len(c)), capped=capped)[0]) if (len(o), len(c)) in cal.background else None
def rows(name):
    s, a = run(name); f, cal = build(name)
    r = D[name]; gold = {(g.original, g.copy) for g in r["gold"].groups}
    groups = [(g.original, g.copy) for g in a.groups]
    out = []
    for (o1, c1), (o2, c2) in zip(groups, groups[1:]):
        if not (o1 and c1 and o2 and c2): continue
        o, c = o1 + o2, c1 + c2
        if list(o) != list(range(o[0], o[0]+len(o))) or list(c) != list(range(c[0], c[0]+len(c))): continue
        x1, x2 = zs(f, cal, o1, c2), zs(f, cal, o2, c1)
        p1, p2 = zs(f, cal, o1, c1), zs(f, cal, o2, c2)
        m = zs(f, cal, o, c)
        lab = (o, c) in gold; bad = ((o1, c1) in gold) + ((o2, c2) in gold)
        out.append((lab, bad, x1, x2, p1, p2, m, (o1, c1), (o2, c2)))
    return out
if __name__ == "__main__":
    for n in ["textberg-fr-frmt", "textberg-de-fr"]:
        R = rows(n)
        neg = np.array([max(x1 or -9, x2 or -9) for lab, bad, x1, x2, *_ in R if bad == 2])
        print(n, "neg cross quantiles", np.quantile(neg, [.5, .9, .95, .99, 1]).round(3))
        neg2 = np.array([max(x1 or -9, x2 or -9) - min(p1, p2) for lab, bad, x1, x2, p1, p2, *_ in R if bad == 2])
        print(n, "neg cross-minpiece quantiles", np.quantile(neg2, [.5, .9, .95, .99, 1]).round(3))
        for lab, bad, x1, x2, p1, p2, m, g1, g2 in R:
            if lab: print("GOOD", f"x={x1:.2f},{x2:.2f} p={p1:.2f},{p2:.2f} merged={m}", g1, g2)
