import sys
from harness import *
from cross import build
from fidelity.types import Group
import numpy as np
def sim(f, o, c):
    return float(f.pairs(len(o), len(c), np.array([o[-1]]), np.array([c[-1]]))[0])
def trimmed(n, tau, a=None, fc=None):
    if a is None: s, a = run(n)
    f, cal = fc or build(n)
    scale = max(cal.typical - cal.background[(1, 1)], 0.2)
    out = []; count = 0
    for g in a.groups:
        o, c = g.original, g.copy
        if not o or not c or len(o) + len(c) < 3:
            out.append(g); continue
        full = sim(f, o, c); best = None
        for side in (0, 1):
            run_ = (o, c)[side]
            if len(run_) < 2: continue
            for edge in (0, -1):
                x = run_[edge]; rest = run_[1:] if edge == 0 else run_[:-1]
                oo, cc = (rest, c) if side == 0 else (o, rest)
                gain = (sim(f, oo, cc) - full) / scale
                if gain > tau and (best is None or gain > best[0]): best = (gain, oo, cc, side, x)
        if best is None:
            out.append(g); continue
        count += 1
        _, oo, cc, side, x = best
        out.append(Group(oo, cc, g.kind))
        out.append(Group((x,), (), "omission") if side == 0 else Group((), (x,), "addition"))
    return score(D[n]["gold"].groups, out).strict_f1, count
names = sys.argv[1].split(",")
taus = [float(t) for t in sys.argv[2].split(",")]
for n in names:
    s, a = run(n); fc = build(n)
    print(n, round(s.strict_f1, 4), [(t, *[round(x, 4) if isinstance(x, float) else x for x in trimmed(n, t, a, fc)]) for t in taus], flush=True)
