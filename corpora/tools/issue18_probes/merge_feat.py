from harness import *
import numpy as np
def feats(name, a):
    r = D[name]; oo, oc = r["oo"], r["oc"]
    gold = {(g.original, g.copy) for g in r["gold"].groups}
    groups = [(g.original, g.copy) for g in a.groups if g.kind != "moved"]
    groups.sort(key=lambda p: (p[0][0] if p[0] else 10**9, p[1][0] if p[1] else -1))
    # order by reading: use alignment order as returned
    groups = [(g.original, g.copy) for g in a.groups]
    def sim(o, c):
        if not o or not c or len(o) > 5 or len(c) > 5: return None
        return float(oo[len(o)-1][o[-1]] @ oc[len(c)-1][c[-1]])
    rows = []
    for (o1, c1), (o2, c2) in zip(groups, groups[1:]):
        if not (o1 and c1) and not (o2 and c2): continue
        o, c = o1 + o2, c1 + c2
        if list(o) != list(range(o[0], o[0]+len(o))) if o else False: continue
        if c and list(c) != list(range(c[0], c[0]+len(c))): continue
        sm = sim(o, c)
        if sm is None: continue
        s1, s2 = sim(o1, c1), sim(o2, c2)
        lab = (o, c) in gold
        bad = ((o1, c1) in gold) + ((o2, c2) in gold)
        L1 = sum(len(r["so"][i].text) for i in o1) + sum(len(r["sc"][j].text) for j in c1)
        L2 = sum(len(r["so"][i].text) for i in o2) + sum(len(r["sc"][j].text) for j in c2)
        rows.append((lab, bad, sm, s1, s2, L1, L2, (o1, c1), (o2, c2)))
    return rows
if __name__ == "__main__":
    for n in ["textberg-fr-frmt", "textberg-de-fr"]:
        s, a = run(n)
        rows = feats(n, a)
        print(n, len(rows), sum(r[0] for r in rows))
        for r in rows:
            if r[0] or (r[1] < 2 and r[2] > 0.6):
                pieces = [x for x in (r[3], r[4]) if x is not None]
                wm = (sum((x or 0)*L for x, L in zip(r[3:5], r[5:7]))/ (r[5]+r[6]))
                print(("GOOD " if r[0] else "bad%d " % r[1]), f"sm={r[2]:.3f} s1={r[3] if r[3] is None else round(r[3],3)} s2={r[4] if r[4] is None else round(r[4],3)} wmean={wm:.3f} d={r[2]-wm:+.3f}", r[7], r[8])
        # distribution of sm - wmean for pairs where both pieces are gold
        ds = []
        for r in rows:
            wm = (sum((x or 0)*L for x, L in zip(r[3:5], r[5:7]))/ (r[5]+r[6]))
            if r[1] == 2: ds.append(r[2]-wm)
        ds = np.array(ds); print("both-gold pieces: n", len(ds), "d quantiles", np.quantile(ds, [0.5, 0.9, 0.95, 0.99, 1.0]).round(3))
