"""``--output-format junit``: JUnit XML (the Ant/Jenkins schema), one test case per pair.

In: a ``CheckResult``. Out: ``<testsuites>`` with one ``<testsuite>``; each pair is a
``<testcase>`` that passes, fails (``<failure>`` listing the findings at or above fail-on and
a score below min-score) or errors (``<error>``: a file missing or unreadable). The signature
is a suite property and opens ``<system-out>``.
"""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime

from lxml import etree

from fidelity.gate import CheckResult, PairResult
from fidelity.report import concise
from fidelity.report.escape import xml_text

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (lxml refuses them)."""
    return _NOT_XML.sub("", text)


def _case(r: PairResult) -> etree._Element:
    case = etree.Element("testcase", name=_x(r.name), classname=_x(f"fidelity.{r.original}"), time=f"{r.seconds:.3f}")
    if r.status == "error":
        etree.SubElement(case, "error", message=_x(r.error or "error"), type="input-error").text = _x(r.error or "")
    elif r.status == "fail":
        failing = [a for a in r.annotations() if a.level == "error"]
        first = failing[0].message if failing else "failed"
        el = etree.SubElement(case, "failure", message=_x(f"{len(failing)} problem(s) at or above fail-on {r.policy.fail_on.value}: {first}"), type="fidelity")
        el.text = _x("\n".join(concise.line(a) for a in failing))
    return case


def render(result: CheckResult, *, timestamp: datetime | None = None, hostname: str | None = None) -> str:
    stamp = (timestamp or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S")
    suites = etree.Element("testsuites")
    suite = etree.SubElement(
        suites, "testsuite",
        name="fidelity check", package="fidelity", id="0", timestamp=stamp, hostname=hostname or socket.gethostname() or "localhost",
        tests=str(len(result.results)), failures=str(result.failed), errors=str(result.errored), skipped="0", time=f"{result.seconds:.3f}",
    )  # fmt: skip
    props = etree.SubElement(suite, "properties")
    etree.SubElement(props, "property", name="signature", value=result.signature)
    for r in result.results:
        suite.append(_case(r))
    etree.SubElement(suite, "system-out").text = concise.footer(result)
    etree.SubElement(suite, "system-err").text = ""
    return xml_text(etree.tostring(suites, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode())
