import sys
from harness import *
from dataclasses import replace
names = sys.argv[1].split(",")
field = sys.argv[2]; vals = sys.argv[3].split(",")
extra = dict(kv.split("=") for kv in sys.argv[4:])
for v in vals:
    res = []
    for n in names:
        base = settings_for(D[n]["langs"])
        kw = {field: type(getattr(base, field))(v)}
        for k2, v2 in extra.items(): kw[k2] = type(getattr(base, k2))(v2)
        s, a = run(n, replace(base, **kw))
        res.append(f"{n} {s.strict_f1:.4f}/{s.lax_f1:.3f}")
    print(field, v, extra, " | ".join(res), flush=True)
