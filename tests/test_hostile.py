"""Hostile and broken input through the real command line (``python -m fidelity`` in a subprocess).

One test per item of the hostile-input probe: workflow-command and terminal injection, rich
markup in names, globs out of the project, outputs that would overwrite an input, batch rows
that used to abort the run, misleading decodes, the library example, NO_COLOR, limits. Every
run uses the hashing embedder (no model) so the file stays fast; what is checked is the
contract: exit code, one-line errors, no traceback, no control sequence, no lost file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = (
    "The minister announced a budget of five million euros on Monday for the schools of the region.\n"
    "The plan funds twelve new schools in total across the whole country over four years.\n"
)
COPY = ORIGINAL.replace("five million", "six million")


def fidelity(*args: str | Path, cwd: Path | None = None, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "fidelity", *map(str, args)],
        cwd=cwd, input=stdin, capture_output=True, env=full_env, timeout=timeout, check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[bytes], needle: str) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.startswith("fidelity: error:")]
    assert len(lines) == 1, err
    assert needle in lines[0], err


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    o, c = tmp_path / "original.txt", tmp_path / "copy.txt"
    o.write_text(ORIGINAL, encoding="utf-8")
    c.write_text(COPY, encoding="utf-8")
    return o, c


# --- security --------------------------------------------------------------------------


def test_github_format_cannot_be_made_to_run_a_workflow_command(tmp_path: Path) -> None:
    folder = tmp_path / "partner\n::add-mask::secret"
    folder.mkdir()
    copy = folder / "copy\n::warning file=README.md::pwned\n::stop-commands::x.txt"
    copy.write_text(COPY, encoding="utf-8")
    original = tmp_path / "original.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    proc = fidelity("check", original, copy, "--model", "hashing", "--output-format", "github", "--partner", "p\n::error::x", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode()
    commands = [ln for ln in out.splitlines() if ln.startswith("::")]
    assert commands, out
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in commands), commands
    assert "::add-mask::" not in out.replace("%0A", "\n").split("\n", 1)[0]
    assert not any(ln.startswith(("::add-mask", "::stop-commands", "::warning file=README")) for ln in out.splitlines())


@pytest.mark.parametrize("color", [[], ["--color"]])
def test_diff_prints_no_escape_sequence_from_the_copy_or_its_name(tmp_path: Path, color: list[str]) -> None:
    o = tmp_path / "original.txt"
    o.write_text(ORIGINAL, encoding="utf-8")
    evil = tmp_path / "copy\x1b]0;title\x07.txt"
    evil.write_text(COPY * 6 + COPY.replace("Monday", "Monday \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ \u202e"), encoding="utf-8")
    proc = fidelity("diff", o, evil, "--model", "hashing", *color)
    assert proc.returncode in (0, 1), proc.stderr
    out = proc.stdout.decode()
    assert "\x1b]" not in out and "\x07" not in out and "\u202e" not in out
    assert "␛" in out  # the escape is shown, not run
    assert "\x1b" not in out or color  # colour codes only when asked for


def test_error_messages_do_not_carry_escape_sequences(tmp_path: Path) -> None:
    proc = fidelity("diff", tmp_path / "missing\x1b[2J.txt", tmp_path / "other.txt", "--model", "hashing")
    one_line_error(proc, "no such file")
    assert b"\x1b" not in proc.stderr


def test_usage_errors_quoting_an_argument_show_its_escape_sequences(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    # a shell glob can hand a hostile file name to click, which quotes it in a usage error
    o, c = pair
    evil = tmp_path / "extra\x1b]0;title\x07\x9b2J\u202e.txt"
    for args in (("diff", o, c, evil), ("diff", "--x\x1b[2J", o, c), ("no\x1b[2Jcommand",)):
        proc = fidelity(*args)
        err = proc.stderr.decode()
        assert proc.returncode == 2 and "Traceback" not in err, err
        assert "\x1b" not in err and "\x07" not in err and "\x9b" not in err and "\u202e" not in err, err
        assert "Error:" in err


def test_github_and_data_formats_carry_no_terminal_control_from_a_name(tmp_path: Path) -> None:
    original = tmp_path / "original.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    folder = tmp_path / "acme\x1b]0;title\x07\x9b2J\u202e"
    folder.mkdir()
    (folder / "copy.txt").write_text(COPY, encoding="utf-8")
    for fmt in ("github", "json", "jsonl", "sarif", "gitlab", "junit", "concise", "markdown"):
        proc = fidelity("check", original, folder / "copy.txt", "--model", "hashing", "-f", fmt, cwd=tmp_path)
        out = proc.stdout.decode()
        assert proc.returncode == 1, (fmt, proc.stderr)
        assert not any(ch in out for ch in "\x1b\x07\x9b\u202e"), fmt
    data = json.loads(fidelity("check", original, folder / "copy.txt", "--model", "hashing", "-f", "json", cwd=tmp_path).stdout)
    assert folder.name in data["results"][0]["copy"]  # escaped in the text, the same value


def test_rich_markup_in_a_file_name_is_text(tmp_path: Path) -> None:
    o = tmp_path / "original.txt"
    o.write_text(ORIGINAL, encoding="utf-8")
    # a "/" in a name comes from its folder: "x[" / "bold].txt" is shown as "x[/bold].txt"
    names = ["x[/bold].txt", "[link=https:/evil.example]shown.txt", "[bold red]y[/].txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(COPY, encoding="utf-8")
    proc = fidelity("check", o, *names, "--model", "hashing", "--width", "200", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode()
    for name in names:
        assert name in out
    assert "\x1b]8" not in out
    partner = fidelity("check", o, names[0], "--partner", "[/bold]", "--model", "hashing", "-f", "concise", cwd=tmp_path)
    assert partner.returncode == 1 and b"Traceback" not in partner.stderr


@pytest.mark.parametrize("pattern", ["../../../etc/pass*", "/etc/pass*", "~/*.txt", "sub/../../x*"])
def test_a_config_glob_cannot_reach_outside_the_project(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "fidelity.toml").write_text(f'[[globs]]\noriginals = "{pattern}"\ncopies = "*.txt"\n', encoding="utf-8")
    one_line_error(fidelity("check", "--model", "hashing", cwd=tmp_path), "stay inside")


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ('[[pairs]]\noriginal = "/etc/hostname"\ncopy = "c.txt"\n', "pairs[0].original: '/etc/hostname' is outside the project"),
        ('[[pairs]]\noriginal = "o.txt"\ncopy = "../../c.txt"\n', "pairs[0].copy: '../../c.txt' is outside the project"),
        ('[[pairs]]\noriginal = "out/o.txt"\ncopy = "c.txt"\n', "pairs[0].original: 'out/o.txt' is outside the project"),
        ('manifest = ["/etc/passwd"]\n', "manifest[0]: '/etc/passwd' is outside the project"),
        ('manifest = ["out/m.csv"]\n', "manifest[0]: 'out/m.csv' is outside the project"),
    ],
)
def test_a_config_cannot_name_a_file_outside_the_project(tmp_path: Path, config: str, needle: str) -> None:
    # what fidelity reads it quotes in its reports: a config from a pull request must not make
    # a CI job print files from elsewhere on the runner ("out" is a link out of the project)
    project = tmp_path / "project"
    project.mkdir()
    (project / "out").symlink_to(tmp_path)
    (tmp_path / "o.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "m.csv").write_text("original,copy\no.txt,o.txt\n", encoding="utf-8")
    (project / "c.txt").write_text(COPY, encoding="utf-8")
    (project / "fidelity.toml").write_text('model = "hashing"\n' + config, encoding="utf-8")
    proc = fidelity("check", cwd=project)
    one_line_error(proc, needle)
    assert b"root:" not in proc.stderr  # nothing of the named file is quoted


def test_a_manifest_row_outside_the_project_is_an_error_row(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    o, c = pair
    (tmp_path / "m.csv").write_text(f"original,copy\n/etc/hostname,{c.name}\n{o.name},{c.name}\n", encoding="utf-8")
    (tmp_path / "fidelity.toml").write_text('model = "hashing"\nmanifest = "m.csv"\n', encoding="utf-8")
    proc = fidelity("check", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    results = json.loads(proc.stdout)["results"]
    assert "outside the project" in results[0]["error"] and results[1]["status"] == "fail"


# --- lost data -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["diff", "check", "batch"])
def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path: Path, pair: tuple[Path, Path], command: str) -> None:
    o, c = pair
    if command == "batch":
        c.write_text(json.dumps({"id": 1, "original": ORIGINAL, "copy": COPY}) + "\n", encoding="utf-8")
        args: list[str | Path] = ["batch", c]
    else:
        args = [command, o, c]
    before = c.read_bytes()
    link = tmp_path / "link.txt"
    link.symlink_to(c)
    for target in (c, link):
        one_line_error(fidelity(*args, "--model", "hashing", "-o", target), "also an input")
        assert c.read_bytes() == before


def test_batch_output_named_by_a_row_is_kept(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    o, c = pair
    before = c.read_bytes()
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "original": ORIGINAL, "copy": COPY}) + "\n" + json.dumps({"id": 2, "original_path": str(o), "copy_path": str(c)}) + "\n", encoding="utf-8")
    one_line_error(fidelity("batch", src, "--model", "hashing", "-o", c), "names --output")
    assert c.read_bytes() == before


def test_bench_output_naming_its_data_is_refused_before_the_run(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text((ROOT / "benchmarks" / "data" / "demetr-flores" / "demetr_flores.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    before = data.read_bytes()
    # the text format (rich tables) once wrote over the data; the check now comes before the run
    one_line_error(fidelity("bench", "demetr", "--data", data, "--limit", "1", "-m", "hashing", "-q", "-o", data), "also an input")
    assert data.read_bytes() == before


def test_dash_output_is_stdout(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    o, c = pair
    proc = fidelity("diff", o, c, "--model", "hashing", "--output-format", "json", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["verdict"]
    assert not (tmp_path / "-").exists()


def test_a_killed_batch_leaves_the_previous_results_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "previous"}\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fidelity", "batch", "-", "-o", str(out), "--model", "hashing", "-q"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write((json.dumps({"id": 1, "original": ORIGINAL, "copy": COPY}) + "\n").encode())
    proc.stdin.flush()
    time.sleep(8)  # started, reading; the output is not yet in place
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert out.read_text(encoding="utf-8") == '{"id": "previous"}\n'


# --- batch survives bad rows -----------------------------------------------------------


def test_batch_turns_each_bad_row_into_an_error_row_and_keeps_the_good_ones(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    good = json.dumps({"id": "good", "original": ORIGINAL, "copy": COPY})
    rows = [
        good,
        '{"id": ' + "9" * 5000 + ', "original": "a.", "copy": "a."}',
        '{"id": 3, "original": ' + "[" * 10000 + "]" * 10000 + ', "copy": "x"}',
        '{"id": "\\ud800", "original": "a.", "copy": "a."}',
        '{"id": 5, "original": "The \\udfff cat.", "copy": "The cat."}',
        '{"id": 6.5, "original": "a.", "copy": "a."}',
        json.dumps({"id": 7, "original_path": str(fifo), "copy": "x y."}),
        json.dumps({"id": 8, "original": "word " * 220_000, "copy": "word " * 220_000}),
        json.dumps({"id": "good-2", "original": ORIGINAL, "copy": ORIGINAL}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = fidelity("batch", src, "--model", "hashing", timeout=300)
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert proc.returncode == 1, err  # the good row has a major finding; errors never make it 1 by themselves
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r.get("line") for r in out if "error" in r] == [2, 3, 4, 5, 6, 7]
    assert {r["id"] for r in out if "error" not in r} == {"good", 8, "good-2"}
    messages = " | ".join(r["error"] for r in out if "error" in r)
    for needle in ("64 digits", "nested deeper", "unpaired surrogate", "number with a fraction", "FIFO"):
        assert needle in messages
    for line in err.splitlines():  # one unwrapped line per bad row
        assert line.startswith("fidelity: ")


def test_batch_refuses_a_fifo_as_its_input(tmp_path: Path) -> None:
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    one_line_error(fidelity("batch", fifo, "--model", "hashing", timeout=60), "FIFO")


def test_batch_from_stdin_reads_a_line_at_a_time_and_skips_an_overlong_line(tmp_path: Path) -> None:
    from fidelity.limits import MAX_BATCH_LINE_BYTES

    stream = b"x" * (MAX_BATCH_LINE_BYTES + 10) + b"\n" + json.dumps({"id": "after", "original": ORIGINAL, "copy": ORIGINAL}).encode() + b"\n"
    proc = fidelity("batch", "-", "--model", "hashing", stdin=stream)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert out[0]["line"] == 1 and "limit" in out[0]["error"]
    assert out[1]["id"] == "after" and out[1]["verdict"] == "identical"


# --- the error boundary ----------------------------------------------------------------


BUG = """
import sys
import fidelity.pipeline
def broken(*args, **kwargs):
    raise KeyError("a bug")
fidelity.pipeline.compare = broken
sys.argv = ["fidelity", *sys.argv[1:]]
from fidelity.cli import main
main()
"""


def test_an_unexpected_exception_is_one_line_exit_2_and_debug_shows_the_traceback(pair: tuple[Path, Path]) -> None:
    o, c = pair
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    base = [sys.executable, "-c", BUG]
    plain = subprocess.run([*base, "diff", str(o), str(c), "--model", "hashing"], capture_output=True, env=env, check=False)
    one_line_error(plain, "internal error (KeyError")
    assert b"--debug" in plain.stderr
    debug = subprocess.run([*base, "--debug", "diff", str(o), str(c), "--model", "hashing"], capture_output=True, env=env, check=False)
    assert debug.returncode != 0 and b"Traceback" in debug.stderr and b"a bug" in debug.stderr


# --- misleading results ----------------------------------------------------------------


def _report(proc: subprocess.CompletedProcess[bytes]) -> dict:
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_one_invalid_byte_in_a_utf8_file_does_not_turn_it_into_mojibake(tmp_path: Path) -> None:
    text = "Le ministre a annoncé un budget de cinq millions d'euros pour les écoles de la région.\nIl finance douze écoles réparties dans tout le pays pendant quatre années.\n"
    o, c = tmp_path / "o.txt", tmp_path / "c.txt"
    o.write_text(text, encoding="utf-8")
    c.write_bytes(text.encode().replace(b"pour", b"po\xffur", 1))
    report = _report(fidelity("diff", o, c, "--model", "hashing", "--language", "fr", "-f", "json"))
    assert report["copy"]["encoding"].startswith("utf-8")
    assert report["counts"]["critical"] == 0 and report["counts"]["major"] == 0


GREEK = "Η κυβέρνηση ανακοίνωσε σήμερα ένα νέο πρόγραμμα για τα σχολεία της περιφέρειας με προϋπολογισμό πέντε εκατομμυρίων ευρώ.\n"


@pytest.mark.parametrize("html", [False, True])
def test_greek_in_cp1253_decodes_as_greek(tmp_path: Path, html: bool) -> None:
    o, c = tmp_path / "o.txt", tmp_path / "c.txt"
    body = GREEK * 3
    if html:
        page = f'<html><head><meta charset="windows-1253"><title>t</title></head><body><article><p>{body}</p></article></body></html>'
        o.write_text(page, encoding="utf-8")
        c.write_bytes(page.encode("cp1253"))
    else:
        o.write_text(body, encoding="utf-8")
        c.write_bytes(body.encode("cp1253"))
    report = _report(fidelity("diff", o, c, "--model", "hashing", "--language", "el", "-f", "json"))
    assert report["copy"]["encoding"] in ("cp1253", "windows-1253")
    assert report["verdict"] == "identical", report["verdict"]


def test_plain_text_that_mentions_a_tag_is_not_html(tmp_path: Path) -> None:
    text = "Use the <p> tag for paragraphs and the <div> tag for blocks in your pages.\n" + ORIGINAL
    o = tmp_path / "o.txt"
    o.write_text(text, encoding="utf-8")
    report = _report(fidelity("diff", o, o, "--model", "hashing", "-f", "json"))
    assert report["original"]["format"] == "text" and report["verdict"] == "identical"


@pytest.mark.parametrize("opening", ['<p align="center">\n  <img src="logo.png" alt="logo">\n</p>\n\n# Budget\n\n', "<!-- draft -->\n", "<h1>Budget</h1>\n"])
def test_markdown_that_opens_with_an_html_block_is_text(tmp_path: Path, opening: str) -> None:
    # a README's centred logo is HTML, the rest is Markdown: read as HTML, the text was lost
    o, c = tmp_path / "o.md", tmp_path / "c.md"
    o.write_text(opening + ORIGINAL, encoding="utf-8")
    c.write_text(opening + COPY, encoding="utf-8")
    report = _report(fidelity("diff", o, c, "--model", "hashing", "-f", "json"))
    assert report["copy"]["format"] == "text" and report["copy"]["sentences"] >= 2
    assert report["counts"]["critical"] == 1  # the changed figure is found


def test_an_html_fragment_is_still_html(tmp_path: Path) -> None:
    o = tmp_path / "o.txt"
    o.write_text("".join(f"<p>{line}</p>\n" for line in ORIGINAL.splitlines()), encoding="utf-8")
    report = _report(fidelity("diff", o, o, "--model", "hashing", "-f", "json"))
    assert report["original"]["format"] == "html" and report["verdict"] == "identical"


# zero-width space, word joiner, Mongolian vowel separator, invisible times, a tag character
@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\u180e", "\u2062", "\U000e0041"])
def test_zero_width_spaces_do_not_hide_page_furniture(tmp_path: Path, invisible: str) -> None:
    furniture = "SHARES\n1.2k\nShare on Facebook\nRead more »\n"
    plain, hidden = tmp_path / "plain.txt", tmp_path / "hidden.txt"
    plain.write_text(furniture + ORIGINAL, encoding="utf-8")
    hidden.write_text(furniture.replace("S", "S" + invisible).replace("R", invisible + "R") + ORIGINAL, encoding="utf-8")
    a = _report(fidelity("diff", plain, plain, "--model", "hashing", "-f", "json"))
    b = _report(fidelity("diff", hidden, hidden, "--model", "hashing", "-f", "json"))
    assert a["original"]["boilerplate_lines"] == b["original"]["boilerplate_lines"] == 4


def test_a_megabyte_line_without_punctuation_finishes(tmp_path: Path) -> None:
    words = ("alpha beta gamma delta news word other thing " * 25_000)[:1_050_000]
    o, c = tmp_path / "o.txt", tmp_path / "c.txt"
    o.write_text(words, encoding="utf-8")
    c.write_text(words.replace("gamma", "omega", 10), encoding="utf-8")
    start = time.perf_counter()
    report = _report(fidelity("diff", o, c, "--model", "hashing", "-f", "json", timeout=240))
    assert report["copy"]["sentences"] >= 1_050_000 // 2000
    assert time.perf_counter() - start < 240


def test_a_long_paragraph_of_short_sentences_is_segmented(tmp_path: Path) -> None:
    # NLTK runs each regular expression under a 5 s wall-clock limit: Punkt reading 900 KB at
    # once passed it on a loaded machine ("internal error (TimeoutError ...)")
    o, c = tmp_path / "o.txt", tmp_path / "c.txt"
    o.write_text("Mr. X. " * 100_000, encoding="utf-8")
    c.write_text("Mr. X. " * 100_000, encoding="utf-8")
    report = _report(fidelity("diff", o, c, "--model", "hashing", "-f", "json", timeout=300))
    assert report["verdict"] == "identical" and report["copy"]["sentences"] > 1


def test_utf16_without_bom_is_text_not_binary(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    o, _ = pair
    c = tmp_path / "utf16.txt"
    c.write_bytes(ORIGINAL.encode("utf-16-le"))
    report = _report(fidelity("diff", o, c, "--model", "hashing", "-f", "json"))
    assert report["copy"]["encoding"] == "utf-16-le" and report["verdict"] == "identical"


def test_a_symlink_loop_is_named_as_such(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    o, _ = pair
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    one_line_error(fidelity("diff", o, tmp_path / "a", "--model", "hashing"), "symbolic link loop")


# --- config and manifest ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("fidelity.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n", "nested deeper"),
        ("m.csv", "original,copy\na.txt," + "x" * 200_000 + "\n", "field larger"),
        ("m.jsonl", '{"original": "a.txt", "copy": ' + "9" * 5000 + "}\n", "64 digits"),
        ("m.jsonl", '{"original": ' + "[" * 5000 + "]" * 5000 + ', "copy": "b"}\n', "nested deeper"),
        ("m.jsonl", '{"original": "a\\ud800.txt", "copy": "b.txt"}\n', "unpaired surrogate"),
        ("m.jsonl", '{"original": "a.txt", "copy": {"x": 1}}\n', "must be a string"),
    ],
)
def test_broken_config_and_manifests_are_one_line_errors(tmp_path: Path, name: str, content: str, needle: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    args = ["check", "--model", "hashing"] + (["--manifest", name] if name != "fidelity.toml" else [])
    one_line_error(fidelity(*args, cwd=tmp_path), needle)


# --- ecosystem conventions -------------------------------------------------------------


def test_the_readme_library_example_runs(pair: tuple[Path, Path]) -> None:
    o, c = pair
    code = (
        "from fidelity import compare, extract\n"
        "from fidelity.pipeline import Options\n"
        f"report = compare(extract({str(o)!r}), extract({str(c)!r}), options=Options(model='hashing'))\n"
        "print(report.verdict.value, report.score)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.split()[0] in (b"distorted", b"edited", b"faithful")


def test_no_color_is_honoured(pair: tuple[Path, Path]) -> None:
    o, c = pair
    forced = fidelity("diff", o, c, "--model", "hashing", env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert b"\x1b[3" in forced.stdout or b"\x1b[1;3" in forced.stdout  # colour when forced
    plain = fidelity("diff", o, c, "--model", "hashing", env={"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": "1"})
    assert plain.returncode == 1
    assert b"\x1b[3" not in plain.stdout and b";3" not in plain.stdout.replace(b"\x1b[1m", b"")


def test_f_means_the_output_format_in_every_command(pair: tuple[Path, Path]) -> None:
    o, c = pair
    for command in ("diff", "check"):
        for flag in ("-f", "--format", "--output-format"):
            proc = fidelity(command, o, c, "--model", "hashing", flag, "json")
            assert proc.returncode == 1, (command, flag, proc.stderr)
            json.loads(proc.stdout)


def test_shell_completion_is_offered() -> None:
    proc = fidelity("--help")
    assert proc.returncode == 0 and b"--install-completion" in proc.stdout


# --- the safe writer and the bounded reader, in process ------------------------------


def test_the_safe_writer_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    from fidelity.cli.common import output_file

    target = tmp_path / "report.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), output_file(target) as fh:
        fh.write("half a report")
        raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temp file left
    with output_file(target) as fh:
        fh.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_the_bounded_reader_cuts_an_overlong_line_without_holding_it(tmp_path: Path) -> None:
    import io

    from fidelity.limits import lines

    stream = io.BytesIO(b"a\n" + b"x" * 5000 + b"\nb\n" + b"y" * 10)
    assert list(lines(stream, limit=100)) == [b"a\n", None, b"b\n", b"y" * 10]
