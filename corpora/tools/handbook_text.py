"""Plain text from the Debian Administrator's Handbook (Debian package ``debian-handbook``).

In: the HTML under /usr/share/doc/debian-handbook/html/en-US (``apt-get install
debian-handbook``). Out: prose paragraphs, one per line, blank line between, in book
order; code listings and tables are skipped, and only paragraphs of at least
``--min-words`` words that end like a sentence are kept (so every line is running prose).

    python corpora/tools/handbook_text.py --pages foreword.html > corpora/texts/handbook-foreword.txt

Licence of the text: GPL-2.0+ or CC-BY-SA-3.0 (Raphaël Hertzog and Roland Mas), see
corpora/texts/README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lxml import html

BOOK = Path("/usr/share/doc/debian-handbook/html/en-US")


def book_order() -> list[str]:
    """Pages in the order the table of contents lists them."""
    index = (BOOK / "index.html").read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for href in re.findall(r'href="([^"#]+\.html)', index):
        if href != "index.html" and (BOOK / href).exists():
            seen.setdefault(href, None)
    return list(seen)


def paragraphs(page: str, min_words: int) -> list[str]:
    tree = html.fromstring((BOOK / page).read_bytes())
    out = []
    for node in tree.xpath('//div[@class="para"]'):
        # prose only: not inside tables or examples
        if node.xpath('ancestor::*[self::table or contains(@class, "example")]'):
            continue
        if node.xpath('.//pre'):
            continue
        text = " ".join(node.text_content().split())
        if len(text.split()) >= min_words and re.search(r"[.!?][\"')]?$", text):
            out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="page file names (default: the whole book in order)")
    parser.add_argument("--skip-pages", type=int, default=0, help="skip this many pages of the book order first")
    parser.add_argument("--max-paragraphs", type=int, default=0)
    parser.add_argument("--min-words", type=int, default=8)
    args = parser.parse_args()
    pages = args.pages or book_order()[args.skip_pages :]
    out: list[str] = []
    for page in pages:
        out.extend(paragraphs(page, args.min_words))
        if args.max_paragraphs and len(out) >= args.max_paragraphs:
            out = out[: args.max_paragraphs]
            break
    sys.stdout.write("\n\n".join(out) + "\n")


if __name__ == "__main__":
    main()
