"""``format=html``: the text of an HTML fragment translated, the markup kept as it was.

The fragment is cut with the standard library's :class:`html.parser.HTMLParser` (a tolerant
tokenizer: Mastodon's ``<p>…<br>…</p>``, unclosed tags and stray ``<`` are all fine) into pieces:
text, inline tags (``<a>``, ``<b>``, ``<span>``…) and everything else, which ends a *block*.
A block is translated as one text (a sentence cut by ``<b>`` is still one sentence for the
engine), and each top-level inline element of it is put back around its rendering: its own text
when the translation still holds it (a mention, a link, a name), else its text translated alone.
When an element cannot be placed so, the block's text runs are translated one by one and the
markup stays between them. Text inside ``<script>``, ``<style>``, ``<code>``, ``<pre>`` and
``<textarea>`` is copied, as are comments and declarations; entities are unescaped for the
engine and the translation escaped again. End tags are written ``</tag>`` (the tokenizer
lower-cases them); everything else is kept character for character.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

import regex

#: elements whose text is not prose: copied, never translated
RAW_ELEMENTS = frozenset({"script", "style", "code", "pre", "textarea"})
#: elements that stay inside a sentence (anything else ends a block)
INLINE_ELEMENTS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp"}
    | {"small", "span", "strong", "sub", "sup", "time", "u", "var"}
)
_LETTER = regex.compile(r"\p{L}")


@dataclass
class Piece:
    source: str  # as written in the fragment
    kind: str  # "text", "open", "close", "other"
    text: str = ""  # "text": unescaped
    tag: str = ""

    @property
    def translatable(self) -> bool:
        return self.kind == "text" and bool(_LETTER.search(self.text))


def _keep_space(source: str, text: str) -> str:
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :] if source.strip() else ""
    return lead + text.strip() + trail


@dataclass
class _Block:
    pieces: list[int]  # indices into Fragment.pieces
    runs: list[int]  # the translatable text pieces
    elements: list[tuple[int, int]] = field(default_factory=list)  # top-level inline (open, close)
    whole: bool = False  # translated as one text too


@dataclass
class Fragment:
    """An HTML fragment cut into pieces, and the texts the engine is given for it (:attr:`units`)."""

    pieces: list[Piece] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    #: what to translate, in order: per block its runs, then its whole text when it has inline markup
    units: list[str] = field(default_factory=list)

    def _text_of(self, indices: list[int]) -> str:
        return "".join(self.pieces[i].text for i in indices if self.pieces[i].kind == "text")

    def _plan(self) -> None:
        for block in self.blocks:
            self.units.extend(self.pieces[i].text for i in block.runs)
            if block.whole:
                self.units.append(self._text_of(block.pieces))

    @property
    def plain(self) -> str:
        """The fragment's text, a block a paragraph (what language identification reads)."""
        return "\n\n".join(self._text_of(b.pieces).strip() for b in self.blocks)

    def fill(self, translated: list[str]) -> tuple[str, list[int]]:
        """The fragment with its text translated (*translated*: one per unit), and the indices of
        the units whose translation it holds."""
        out = [p.source for p in self.pieces]
        used: list[int] = []
        k = 0
        for block in self.blocks:
            runs = {i: translated[k + n] for n, i in enumerate(block.runs)}
            run_units = list(range(k, k + len(block.runs)))
            k += len(block.runs)
            if block.whole:
                whole = translated[k]
                k += 1
                placed = self._place(block, whole, runs)
                if placed is not None:
                    for i in block.pieces:
                        out[i] = ""
                    out[block.pieces[0]] = placed
                    used.append(k - 1)
                    continue
            for i, text in runs.items():
                out[i] = html.escape(_keep_space(self.pieces[i].text, text), quote=False)
            used.extend(run_units)
        return "".join(out), used

    def _place(self, block: _Block, whole: str, runs: dict[int, str]) -> str | None:
        """The block rebuilt from its whole translation, each top-level element wrapped around its
        rendering; None when one cannot be found."""
        source = self._text_of(block.pieces)
        body = whole.strip()
        parts: list[str] = []
        cursor = 0
        for open_, close in block.elements:
            inner = [i for i in block.pieces if open_ <= i <= close]
            own = self._text_of(inner).strip()
            rendered = "".join(
                _keep_space(self.pieces[i].text, runs[i]) if i in runs else self.pieces[i].text
                for i in inner
                if self.pieces[i].kind == "text"
            ).strip()
            if not own:
                return None
            at, verbatim = body.find(own, cursor), True
            if at < 0 and rendered:
                at, verbatim = body.find(rendered, cursor), False
            if at < 0:
                return None
            parts.append(html.escape(body[cursor:at], quote=False))
            for i in inner:
                piece = self.pieces[i]
                if piece.kind != "text" or verbatim or i not in runs:
                    parts.append(piece.source)
                else:
                    parts.append(html.escape(_keep_space(piece.text, runs[i]), quote=False))
            cursor = at + len(own if verbatim else rendered)
        parts.append(html.escape(body[cursor:], quote=False))
        # the text before the first element and after the last is plain text (see _block)
        lead = source[: len(source) - len(source.lstrip())]
        trail = source[len(source.rstrip()) :]
        return html.escape(lead, quote=False) + "".join(parts) + html.escape(trail, quote=False)


class _Cutter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[Piece] = []
        self._raw: list[str] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        if not self._text:
            return
        source = "".join(self._text)
        self._text = []
        if self._raw:
            self.pieces.append(Piece(source, "other"))
        else:
            self.pieces.append(Piece(source, "text", html.unescape(source)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        raw = self.get_starttag_text() or ""
        inline = tag in INLINE_ELEMENTS and not self._raw
        self.pieces.append(Piece(raw, "open" if inline else "other", tag=tag))
        if tag in RAW_ELEMENTS:
            self._raw.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.pieces.append(Piece(self.get_starttag_text() or "", "other", tag=tag))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        inline = tag in INLINE_ELEMENTS and not self._raw
        self.pieces.append(Piece(f"</{tag}>", "close" if inline else "other", tag=tag))
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
        self.pieces.append(Piece(text, "other"))

    def handle_comment(self, data: str) -> None:
        self._other(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._other(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._other(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._other(f"<![{data}]>")


def _block(fragment: Fragment, indices: list[int]) -> None:
    runs = [i for i in indices if fragment.pieces[i].translatable]
    if not runs:
        return
    block = _Block(indices, runs)
    stack: list[int] = []
    balanced = True
    for i in indices:
        piece = fragment.pieces[i]
        if piece.kind == "open":
            stack.append(i)
        elif piece.kind == "close":
            if not stack or fragment.pieces[stack[-1]].tag != piece.tag:
                balanced = False
                break
            opened = stack.pop()
            if not stack:
                block.elements.append((opened, i))
    if balanced and not stack and block.elements:
        first = block.elements[0][0]
        # only markup-free text before the first element and after the last: one sentence run
        block.whole = all(fragment.pieces[i].kind == "text" for i in indices if i < first or i > block.elements[-1][1])
    fragment.blocks.append(block)


def cut(text: str) -> Fragment:
    """*text* (an HTML fragment) cut into pieces and blocks, with the texts to translate."""
    cutter = _Cutter()
    cutter.feed(text)
    cutter.close()
    cutter._flush()
    fragment = Fragment(cutter.pieces)
    current: list[int] = []
    for i, piece in enumerate(fragment.pieces):
        if piece.kind == "other":
            _block(fragment, current)
            current = []
        else:
            current.append(i)
    _block(fragment, current)
    fragment._plan()
    return fragment
