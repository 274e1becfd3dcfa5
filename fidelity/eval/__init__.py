"""Evaluation: benchmarks that measure fidelity's stages against labelled data.

    demetr  DEMETR (synthetic critical errors): ``fidelity bench demetr``
    mqm     WMT23 zh-en with expert MQM error spans (natural errors): ``fidelity bench mqm``
    honest  WMT22 pairs of two professional translations (no error expected): ``fidelity bench honest``
    align   sentence alignment against gold groups (Vecalign strict/lax P/R/F1): ``fidelity eval align``
    common  what they share: the chrF/BLEU/cosine baselines, rank and detection measures

Quiet library: every module computes and returns data; the CLI renders.
"""
