import sys
sys.path.insert(0, "corpora/tools")
from harness import *
from align_errors import units, classify
from fidelity.types import Group
from fidelity.align import MONOLINGUAL
def G(keys): return [Group(o, c, "match" if o and c else ("omission" if o else "addition")) for o, c in keys]
for n in ["textberg-fr-frmt", "textberg-de-fr"]:
    s, a = run(n); gold = units(D[n]["gold"].groups); test = units(a.groups)
    kinds, ex = classify(gold, test, MONOLINGUAL)
    def fix(kind):
        t = list(test)
        for g in ex.get(kind, []):
            t = [x for x in t if not (set(x[0]) <= set(g[0]) and set(x[1]) <= set(g[1]))] + [g]
        return score(D[n]["gold"].groups, G(t)).strict_f1
    def fixmerge():
        t = [x for x in test if x not in ex.get("returned: merge", [])]
        for m in ex.get("returned: merge", []):
            t += [g for g in gold if set(g[0]) <= set(m[0]) and set(g[1]) <= set(m[1])]
        return score(D[n]["gold"].groups, G(t)).strict_f1
    print(n, "now", round(s.strict_f1, 4), "pieces joined", round(fix("gold: in pieces"), 4), "merges split", round(fixmerge(), 4))
