"""``fidelity rules [RULE]``: list every rule, or explain one (ruff's ``ruff rule``).

The explanation is the rule class's docstring (what it does / why it matters / example).
"""

from __future__ import annotations

import typer

from fidelity.cli.common import guarded


@guarded
def rules(
    rule: str | None = typer.Argument(None, help="Explain this rule (default: list every rule)."),
    output_format: str = typer.Option("text", "--output-format", "-f", help="text or json."),
) -> None:
    """List every rule with its category, default severity and what it checks, or explain one."""
    import json

    from fidelity.errors import ConfigError
    from fidelity.gate import GATE_RULES
    from fidelity.rules import REGISTRY

    if output_format not in ("text", "json"):
        raise ConfigError(f"--output-format: unknown format {output_format!r}; choose one of: text, json")
    entries: list[dict[str, str | None]] = [
        {
            "rule": r,
            "category": c.category.value,
            "severity": c.severity.value,
            "summary": c.summary,
            "example": c.example,
            "explanation": c.explanation(),
            "runs_on": c.reads.pairs,
        }
        for r, c in sorted(REGISTRY.items())
    ]
    gate = [{"rule": r, "category": "gate", "severity": None, "summary": s, "example": "", "explanation": s, "runs_on": None} for r, s in GATE_RULES.items()]
    if rule is not None:
        found = [e for e in entries + gate if e["rule"] == rule]
        if not found:
            raise ConfigError(f"unknown rule {rule!r}; choose one of: {', '.join(str(e['rule']) for e in entries + gate)}")
        entries = found
    if output_format == "json":
        print(json.dumps(entries, indent=2))
        return
    if rule is not None:
        print(_explain(entries[0]))
        return
    from rich.table import Table

    from fidelity.report.terminal import make_console

    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for col in ("rule", "category", "severity", "what it checks"):
        table.add_column(col)
    for e in entries:
        table.add_row(str(e["rule"]), str(e["category"]), str(e["severity"]), str(e["summary"]))
    console = make_console()
    console.print(table)
    console.print(f"\n{len(entries)} rules. `fidelity rules RULE` explains one.", highlight=False)


def _explain(e: dict[str, str | None]) -> str:
    lines = [f"{e['rule']}", f"  category:  {e['category']}"]
    if e["severity"]:
        lines.append(f"  severity:  {e['severity']} (default)")
    lines.append(f"  checks:    {e['summary']}")
    if e.get("runs_on"):
        lines.append(f"  runs on:   {e['runs_on']}")
    if e["example"]:
        lines.append("  example:")
        lines += [f"    {x}" for x in str(e["example"]).splitlines()]
    if e["explanation"] and e["explanation"] != e["summary"]:
        lines.append("")
        lines += [f"  {x}" if x else "" for x in str(e["explanation"]).splitlines()]
    if e["category"] != "gate":
        lines.append("")
        lines.append(f"  select or ignore it by rule id ({e['rule']}) or category ({e['category']}).")
    return "\n".join(lines)
