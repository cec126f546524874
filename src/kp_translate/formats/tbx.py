"""TBX-Basic (TBX v3, ISO 30042:2019, DCA style): export, a checker of the TBX-Basic rules, a reader.

One ``<conceptEntry>`` per glossary entry::

    <conceptEntry id="iouri-ouchakov">
      <note>type: person</note>                 concept-level facts as notes (see below)
      <langSec xml:lang="fr">
        <termSec><term>Iouri Ouchakov</term>    first source form: preferred term
          <termNote type="partOfSpeech">properNoun</termNote>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>Ouchakov</term> ...      other forms: admitted, termType "variant"
      </langSec>
      <langSec xml:lang="en">
        <termSec><term>Yuri Ushakov</term> ...  the target: preferred term
        <termSec><term>Yury Ushakov</term> ...  forbidden renderings: deprecatedTerm-admn-sts
      </langSec>
    </conceptEntry>

TBX-Basic has no data category for the glossary's type, workflow status, case sensitivity,
regex patterns or "do not translate", so they are concept-level ``<note>`` elements, one fact
each with a fixed prefix (``type:``, ``status: draft``, ``case: insensitive``, ``pattern:``,
``note:``, ``comment:``) and, for do-not-translate entries, exactly ``translation needed: no`` —
``note`` is the TBX-Basic category allowed at every level for free text, and the English term of
such an entry is the French form itself. :func:`read` parses these back.

XML ids must be NCNames: an entry id that is not one (it starts with a digit) is written with a
leading '_' (no glossary id starts with '_'), which :func:`read` removes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..config import DEFAULT_SOURCE
from ..errors import InputError
from ..fileio import read_text
from ..glossary import SOURCE_LANGUAGES, Entry, Glossary

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DNT_NOTE = "translation needed: no"

#: TBX-Basic data categories: element -> type attribute -> picklist (None: free text)
TERM_NOTES: dict[str, frozenset[str] | None] = {
    "administrativeStatus": frozenset(
        {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}
    ),
    "partOfSpeech": frozenset({"adjective", "adverb", "noun", "other", "properNoun", "verb"}),
    "termType": frozenset({"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"}),
    "grammaticalGender": frozenset({"masculine", "feminine", "neuter", "other"}),
    "geographicalUsage": None,
    "termLocation": None,
}
#: descrip types and the levels they may appear at
DESCRIPS = {
    "definition": {"conceptEntry", "langSec"},
    "subjectField": {"conceptEntry"},
    "context": {"termSec"},
}
ADMINS = {"customerSubset", "projectSubset", "source"}
XREFS = {"externalCrossReference", "xGraphic"}
REFS = {"crossReference"}
TRANSACTION_TYPES = {"origination", "modification"}

_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PROPER = {"person", "organisation", "media", "place", "weapon", "document", "event"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def xml_id(entry_id: str) -> str:
    return entry_id if _NCNAME.match(entry_id) else "_" + entry_id


# ---------------------------------------------------------------------------------------------
# Export


def _text(parent: ET.Element, tag: str, text: str, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrib)
    element.text = text
    return element


def _term(lang_sec: ET.Element, term: str, pos: str, status: str, term_type: str | None = None) -> None:
    sec = ET.SubElement(lang_sec, _q("termSec"))
    _text(sec, "term", term)
    _text(sec, "termNote", pos, type="partOfSpeech")
    if term_type:
        _text(sec, "termNote", term_type, type="termType")
    _text(sec, "termNote", status, type="administrativeStatus")


def _check_chars(entry: Entry) -> None:
    for key, value, line in entry.fields:
        m = _XML_CHAR.search(value)
        if m:
            char = f"U+{ord(m.group()):04X}"
            raise InputError(f"'{key}' holds {char}, which XML (TBX) cannot carry", entry.path, line)


def build(glossary: Glossary, *, lang: str = "en") -> ET.Element:
    """The glossary as a TBX-Basic element tree."""
    default = glossary.default_source
    root = ET.Element(_q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: default})
    file_desc = ET.SubElement(ET.SubElement(root, _q("tbxHeader")), _q("fileDesc"))
    _text(ET.SubElement(file_desc, _q("titleStmt")), "title", "kp-translate glossary")
    _text(
        ET.SubElement(file_desc, _q("sourceDesc")),
        "p",
        f"Exported by kp-translate from {len(glossary.files)} glossary file(s), version {glossary.version}.",
    )
    body = ET.SubElement(ET.SubElement(root, _q("text")), _q("body"))
    for entry in glossary:
        _check_chars(entry)
        concept = ET.SubElement(body, _q("conceptEntry"), {"id": xml_id(entry.id)})
        _text(concept, "note", f"type: {entry.type}")
        if not entry.reviewed:
            _text(concept, "note", "status: draft")
        if not entry.case_sensitive:
            _text(concept, "note", "case: insensitive")
        if entry.dnt:
            _text(concept, "note", DNT_NOTE)
        for pattern in entry.patterns:
            _text(concept, "note", f"pattern: {pattern}")
        for tag, patterns in entry.lang_patterns.items():
            for pattern in patterns:
                _text(concept, "note", f"pattern.{tag}: {pattern}")
        if entry.note:
            _text(concept, "note", f"note: {entry.note}")
        for comment in entry.comments:
            _text(concept, "note", f"comment: {comment}")
        pos = "properNoun" if entry.type in _PROPER else "noun"
        # one langSec per source language: the default language's untagged forms, then each
        # language with forms of its own (a language that inherits has no langSec of its own)
        by_lang: dict[str, list[str]] = {default: list(entry.sources)}
        for tag, forms in entry.lang_sources.items():
            by_lang.setdefault(tag, []).extend(forms)
        for tag, forms in by_lang.items():
            unique = list(dict.fromkeys(forms))
            if not unique:
                continue
            section = ET.SubElement(concept, _q("langSec"), {XML_LANG: tag})
            for index, form in enumerate(unique):
                if index == 0:
                    _term(section, form, pos, "preferredTerm-admn-sts")
                else:
                    _term(section, form, pos, "admittedTerm-admn-sts", "variant")
        en = ET.SubElement(concept, _q("langSec"), {XML_LANG: lang})
        _term(en, entry.target, pos, "preferredTerm-admn-sts")
        for bad in dict.fromkeys(entry.forbidden):
            _term(en, bad, pos, "deprecatedTerm-admn-sts")
    return root


def export(glossary: Glossary, *, lang: str = "en", **_: Any) -> str:
    """The glossary as a TBX-Basic document (UTF-8 XML text)."""
    ET.register_namespace("", NS)
    root = build(glossary, lang=lang)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


# ---------------------------------------------------------------------------------------------
# Checking


def validate(text: str) -> list[str]:
    """Problems of a TBX-Basic (v3, DCA) document, as ``line N: message`` strings; [] if valid.

    Checks well-formedness, the core structure (tbx > tbxHeader > fileDesc > sourceDesc, text >
    body > conceptEntry > langSec > termSec > term), required attributes (type, style, xml:lang,
    unique NCName ids), that every data category is one TBX-Basic allows at that level, and the
    picklist values (administrativeStatus, partOfSpeech, termType, grammaticalGender,
    transactionType).
    """
    try:
        parser = ET.XMLParser()
        root = ET.fromstring(text, parser=parser)
    except ET.ParseError as exc:
        return [f"line {exc.position[0]}: not well-formed XML: {exc}"]
    problems: list[str] = []
    if root.tag != _q("tbx"):
        return [f"root element is {root.tag!r}, expected <tbx> in namespace {NS}"]
    if root.get("type") != "TBX-Basic":
        problems.append(f"<tbx type> is {root.get('type')!r}, expected 'TBX-Basic'")
    if root.get("style") != "dca":
        problems.append(f"<tbx style> is {root.get('style')!r}, expected 'dca'")
    if not root.get(XML_LANG):
        problems.append("<tbx> has no xml:lang")
    children = list(root)
    if [c.tag for c in children] != [_q("tbxHeader"), _q("text")]:
        problems.append("<tbx> must hold exactly <tbxHeader> then <text>")
        return problems
    header, text_el = children
    file_desc = header.find(_q("fileDesc"))
    if file_desc is None:
        problems.append("<tbxHeader> has no <fileDesc>")
    elif file_desc.find(_q("sourceDesc")) is None:
        problems.append("<fileDesc> has no <sourceDesc>")
    body = text_el.find(_q("body"))
    if body is None:
        problems.append("<text> has no <body>")
        return problems
    ids: set[str] = set()
    for concept in body:
        _check_concept(concept, ids, problems)
    return problems


def _where(element: ET.Element) -> str:
    return f"<{element.tag.split('}')[-1]}>"


def _check_category(element: ET.Element, level: str, problems: list[str]) -> bool:
    """Check an auxiliary data-category element at *level*; False if it is not one."""
    tag, kind = element.tag, element.get("type")
    if tag == _q("note"):
        if not (element.text or "").strip():
            problems.append(f"empty <note> in <{level}>")
        return True
    if tag == _q("descrip"):
        if kind not in DESCRIPS:
            problems.append(f"<descrip type={kind!r}> is not a TBX-Basic data category")
        elif level not in DESCRIPS[kind]:
            problems.append(f"<descrip type={kind!r}> is not allowed in <{level}>")
        return True
    if tag == _q("admin"):
        if kind not in ADMINS:
            problems.append(f"<admin type={kind!r}> is not a TBX-Basic data category")
        return True
    if tag == _q("xref"):
        if kind not in XREFS or not element.get("target"):
            problems.append(f"<xref type={kind!r}> needs a TBX-Basic type and a target")
        return True
    if tag == _q("ref"):
        if kind not in REFS:
            problems.append(f"<ref type={kind!r}> is not a TBX-Basic data category")
        return True
    if tag == _q("transacGrp"):
        transac = element.find(_q("transac"))
        if transac is None or transac.get("type") != "transactionType":
            problems.append("<transacGrp> needs <transac type='transactionType'>")
        elif (transac.text or "") not in TRANSACTION_TYPES:
            problems.append(f"transactionType {transac.text!r} not in {sorted(TRANSACTION_TYPES)}")
        return True
    return False


def _check_concept(concept: ET.Element, ids: set[str], problems: list[str]) -> None:
    if concept.tag != _q("conceptEntry"):
        problems.append(f"{_where(concept)} in <body>: only <conceptEntry> is allowed")
        return
    cid = concept.get("id")
    if not cid or not _NCNAME.match(cid):
        problems.append(f"<conceptEntry> id {cid!r} is not a valid XML id")
    elif cid in ids:
        problems.append(f"duplicate <conceptEntry> id {cid!r}")
    else:
        ids.add(cid)
    lang_secs = 0
    for child in concept:
        if child.tag == _q("langSec"):
            lang_secs += 1
            _check_lang_sec(child, cid, problems)
        elif lang_secs:
            problems.append(f"{_where(child)} after <langSec> in concept {cid!r}")
        elif not _check_category(child, "conceptEntry", problems):
            problems.append(f"{_where(child)} is not allowed in <conceptEntry> ({cid!r})")
    if not lang_secs:
        problems.append(f"concept {cid!r} has no <langSec>")


def _check_lang_sec(lang_sec: ET.Element, cid: str | None, problems: list[str]) -> None:
    if not lang_sec.get(XML_LANG):
        problems.append(f"<langSec> without xml:lang in concept {cid!r}")
    terms = 0
    for child in lang_sec:
        if child.tag == _q("termSec"):
            terms += 1
            _check_term_sec(child, cid, problems)
        elif terms:
            problems.append(f"{_where(child)} after <termSec> in concept {cid!r}")
        elif not _check_category(child, "langSec", problems):
            problems.append(f"{_where(child)} is not allowed in <langSec> ({cid!r})")
    if not terms:
        problems.append(f"<langSec xml:lang={lang_sec.get(XML_LANG)!r}> of {cid!r} has no <termSec>")


def _check_term_sec(term_sec: ET.Element, cid: str | None, problems: list[str]) -> None:
    children = list(term_sec)
    if not children or children[0].tag != _q("term"):
        problems.append(f"<termSec> of {cid!r} must start with <term>")
    elif not (children[0].text or "").strip() or len(children[0]):
        problems.append(f"empty or structured <term> in {cid!r}")
    seen: set[str] = set()
    for child in children[1:]:
        if child.tag == _q("termNote"):
            kind = child.get("type") or ""
            if kind not in TERM_NOTES:
                problems.append(f"<termNote type={kind!r}> is not a TBX-Basic data category ({cid!r})")
                continue
            allowed = TERM_NOTES[kind]
            if allowed is not None and (child.text or "") not in allowed:
                problems.append(f"{kind} value {child.text!r} not in the TBX-Basic picklist ({cid!r})")
            if kind in seen:
                problems.append(f"{kind} given twice in one <termSec> ({cid!r})")
            seen.add(kind)
        elif child.tag == _q("term"):
            problems.append(f"two <term> in one <termSec> ({cid!r})")
        elif not _check_category(child, "termSec", problems):
            problems.append(f"{_where(child)} is not allowed in <termSec> ({cid!r})")


# ---------------------------------------------------------------------------------------------
# Reading


def read(path: str | Path) -> Glossary:
    """Load a TBX-Basic file written by :func:`export` back as a glossary (concept notes with the
    prefixes above are mapped back to the entry's fields)."""
    p = str(path)
    text = read_text(path)
    problems = validate(text)
    if problems:
        m = re.match(r"line (\d+): (.*)", problems[0])
        raise InputError(m.group(2) if m else problems[0], p, int(m.group(1)) if m else None)
    root = ET.fromstring(text)
    entries: list[Entry] = []
    for concept in root.iter(_q("conceptEntry")):
        cid = concept.get("id", "")
        entry = Entry(id=cid[1:] if cid.startswith("_") else cid, type="term", target="", status="reviewed", path=p)
        for note in concept.findall(_q("note")):
            _read_note(entry, note.text or "")
        default = root.get(XML_LANG, "")
        for lang_sec in concept.findall(_q("langSec")):
            tag = lang_sec.get(XML_LANG, "")
            for term_sec in lang_sec.findall(_q("termSec")):
                term = term_sec.findtext(_q("term"), "")
                status = ""
                for note in term_sec.findall(_q("termNote")):
                    if note.get("type") == "administrativeStatus":
                        status = note.text or ""
                if tag == default:
                    entry.sources.append(term)
                elif tag in SOURCE_LANGUAGES:
                    entry.lang_sources.setdefault(tag, []).append(term)
                elif status == "deprecatedTerm-admn-sts":
                    entry.forbidden.append(term)
                elif status == "preferredTerm-admn-sts" and not entry.target:
                    entry.target = term
        entries.append(entry)
    return Glossary(entries, [p], default_source=default or DEFAULT_SOURCE)


def _read_note(entry: Entry, text: str) -> None:
    key, _, value = text.partition(": ")
    if text == DNT_NOTE:
        entry.dnt = True
    elif key == "type":
        entry.type = value
    elif key == "status":
        entry.status = value
    elif key == "case":
        entry.case_sensitive = value != "insensitive"
    elif key == "pattern":
        entry.patterns.append(value)
    elif key.startswith("pattern.") and key[8:] in SOURCE_LANGUAGES:
        entry.lang_patterns.setdefault(key[8:], []).append(value)
    elif key == "note":
        entry.note = value
    elif key == "comment":
        entry.comments.append(value)
    else:
        entry.comments.append(text)
