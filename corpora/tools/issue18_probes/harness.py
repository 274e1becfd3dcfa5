import pickle
from collections import Counter
from fidelity.align import align, settings_for
from fidelity.eval.align import score, format_group
D = pickle.load(open("/tmp/e18/data.pkl","rb"))
def run(name, settings=None, overlap=False, **kw):
    r = D[name]
    s = settings or settings_for(r["langs"])
    if s.overlap:
        eo, ec = r["oo"], r["oc"]
    else:
        eo, ec = r["vo"], r["vc"]
    a = align(r["so"], r["sc"], eo, ec, settings=s, **kw)
    return score(r["gold"].groups, a.groups), a
def errors(name, a):
    gold = {(g.original, g.copy) for g in D[name]["gold"].groups}
    test = [(g.original, g.copy) for g in a.groups]
    gset = list(gold)
    of_o = {}; of_c = {}
    for o, c in gset:
        for i in o: of_o[i] = (o, c)
        for j in c: of_c[j] = (o, c)
    kinds = Counter(); ex = {}
    for o, c in test:
        if (o, c) in gold: continue
        owners = {of_o[i] for i in o} | {of_c[j] for j in c}
        if len(owners) == 1:
            go, gc = next(iter(owners))
            k = "piece" if (set(o) < set(go) or set(c) < set(gc)) or (len(o)+len(c) < len(go)+len(gc)) else "?"
            if len(go)+len(gc) == 1 and k == "?": k = "?"
        else:
            # spans several gold groups
            full = all(set(go) <= set(o) and set(gc) <= set(c) for go, gc in owners)
            k = "merge" if full else "shifted"
            if not o or not c: k = "onesided-in-" + k
        if not o or not c:
            k = "onesided:" + k
        kinds[k] += 1; ex.setdefault(k, []).append((o, c, sorted(owners)))
    return kinds, ex
