"""``format=html``: the text nodes of an HTML fragment translated, the markup kept as it was.

The fragment is cut with the standard library's :class:`html.parser.HTMLParser` (a tolerant
tokenizer: Mastodon's ``<p>…<br>…</p>``, unclosed tags and stray ``<`` are all fine) into markup
and text runs. Text runs with a letter in them, outside ``<script>``, ``<style>``, ``<code>`` and
``<pre>``, are unescaped for the engine and escaped again when put back; everything else is copied
byte for byte.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

import regex

#: elements whose text is not prose: copied, never translated
RAW_ELEMENTS = frozenset({"script", "style", "code", "pre", "textarea"})
_LETTER = regex.compile(r"\p{L}")


@dataclass
class Fragment:
    """An HTML fragment cut into pieces: markup (kept) and text runs (translated)."""

    pieces: list[str] = field(default_factory=list)
    #: index in :attr:`pieces` of each run to translate, and its unescaped text
    texts: list[tuple[int, str]] = field(default_factory=list)

    def fill(self, translated: list[str]) -> str:
        """The fragment with each text run replaced by its translation (escaped)."""
        out = list(self.pieces)
        for (index, source), text in zip(self.texts, translated, strict=True):
            lead = source[: len(source) - len(source.lstrip())]
            trail = source[len(source.rstrip()) :]
            out[index] = html.escape(lead + text.strip() + trail, quote=False)
        return "".join(out)

    @property
    def plain(self) -> str:
        """The text runs, one paragraph each (what language identification reads)."""
        return "\n\n".join(t for _, t in self.texts)


class _Cutter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.fragment = Fragment()
        self._raw: list[str] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        if not self._text:
            return
        source = "".join(self._text)
        self._text = []
        pieces = self.fragment.pieces
        text = html.unescape(source)
        if self._raw or not _LETTER.search(text):
            pieces.append(source)
            return
        self.fragment.texts.append((len(pieces), text))
        pieces.append(source)

    def _markup(self) -> None:
        self._flush()
        raw = self.get_starttag_text()
        self.fragment.pieces.append(raw or "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._markup()
        if tag in RAW_ELEMENTS:
            self._raw.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._markup()

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        self.fragment.pieces.append(f"</{tag}>")
        if self._raw and self._raw[-1] == tag:
            self._raw.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_entityref(self, name: str) -> None:
        self._text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text.append(f"&#{name};")

    def _other(self, text: str) -> None:
        self._flush()
        self.fragment.pieces.append(text)

    def handle_comment(self, data: str) -> None:
        self._other(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._other(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._other(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._other(f"<![{data}]>")


def cut(text: str) -> Fragment:
    """*text* (an HTML fragment) cut into markup and text runs; end tags are written ``</tag>``
    (the tokenizer lower-cases them), everything else as it was."""
    cutter = _Cutter()
    cutter.feed(text)
    cutter.close()
    cutter._flush()
    return cutter.fragment
