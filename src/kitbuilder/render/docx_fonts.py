"""The kit's fonts embedded in a DOCX as Word's "Embed fonts in the file" does, so Word and
LibreOffice show Noto on a computer that does not have it.

ECMA-376 Part 1 §17.8.1 and Part 4 (obfuscated fonts): each face is an ``.odttf`` part whose
first 32 bytes are XORed with its font key, a GUID that fontTable.xml names beside the
relationship (w:embedRegular/w:embedBold/…); settings.xml asks for w:embedTrueTypeFonts. Each
face is subset (w:saveSubsetFonts) to the characters the document uses and to the Latin letters
and punctuation a delegate may type into the form (accented names): the same subset for
every kit whose text stays within them, made once per worker.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import uuid
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
STYLES = {(False, False): "embedRegular", (True, False): "embedBold",
          (False, True): "embedItalic", (True, True): "embedBoldItalic"}
# Where a kit's faces are: the main faces, and the faces of other scripts.
FONT_DIRS = ("fonts", "fonts/fallback")
ALWAYS = frozenset(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x203B),
                                     0x20AC, 0x2122, 0x2212])


@functools.cache
def font_files(layouts: Path) -> dict[tuple[str, bool, bool], Path]:
    """(family, bold, italic) → the font file, for every face the layouts carry."""
    from fontTools.ttLib import TTFont

    faces = {}
    for folder in FONT_DIRS:
        for path in sorted((layouts / folder).glob("*.ttf")):
            font = TTFont(str(path), lazy=True)
            family = font["name"].getBestFamilyName()
            style = font["OS/2"].fsSelection
            faces[(family, bool(style & 0x20), bool(style & 0x01))] = path
            font.close()
    return faces


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def used_text(parts: dict[str, bytes]) -> set[str]:
    """Every character of the document's text, headers, footers, notes and list bullets."""
    chars = set(ALWAYS)
    for name, data in parts.items():
        if re.fullmatch(r"word/[^/]+\.xml", name):
            text = data.decode("utf-8")
            for piece in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", text):
                chars.update(_unescape(piece))
            for piece in re.findall(r'<w:lvlText w:val="([^"]*)"', text):
                chars.update(_unescape(piece))
    # Private-use code points are the Symbol and Wingdings bullets of the list levels, set in
    # those fonts, never in Noto.
    return {c for c in chars if not 0xE000 <= ord(c) <= 0xF8FF}


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def families_named(parts: dict[str, bytes]) -> set[str]:
    names = set()
    for name in ("word/styles.xml", "word/document.xml"):
        names.update(re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"',
                                parts.get(name, b"").decode("utf-8")))
    return names


# The Latin subsets, made ahead (scripts/make_docx_fonts.py): most kits need nothing else, and
# subsetting a Noto face takes a second.
PREBUILT = "fonts/docx"


def face_bytes(layouts: Path, path: Path, wanted: frozenset[str]) -> bytes:
    """The face subset to ``wanted``: read ready-made when that is the Latin set (the same
    bytes subset() gives, tests/render/test_docx_fonts.py), else made now."""
    ready = layouts / PREBUILT / path.name
    if wanted <= ALWAYS and ready.is_file():
        return ready.read_bytes()
    return subset(path, wanted)


def latin_set(path: Path) -> frozenset[str]:
    """What a Latin-only kit asks of this face: the fixed set, as far as the face has it."""
    return frozenset(c for c in ALWAYS if ord(c) in _cmap(path))


@functools.lru_cache(maxsize=32)
def subset(path: Path, chars: frozenset[str]) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.hinting = False  # most of a Noto face's bytes; Word and LibreOffice do without
    # fontTools' default features: kerning, ligatures and every script's shaping (Arabic's
    # joining forms); the rest (small caps, old-style figures) the kit never asks for.
    options.name_IDs = ["*"]  # the family name is how Word and LibreOffice find the face
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    with TTFont(str(path), recalcTimestamp=False) as font:  # the same bytes on every build
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(c) for c in chars))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 4 §2.8.1: the first 32 bytes XOR the GUID's bytes, last byte first."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_fonts(parts: dict[str, bytes], layouts: Path, script_faces: dict[str, tuple]) -> None:
    """Add the faces the document names and uses to ``parts`` (a DOCX's members, in place)."""
    chars = used_text(parts)
    named = families_named(parts)
    faces = font_files(layouts)
    main = {name for name in named if (name, False, False) in faces and
            name not in {f for pair in script_faces.values() for f in pair}}
    latin = set().union(*(_cmap(faces[(name, False, False)]) for name in main)) if main else set()
    embedded: dict[str, list[tuple[str, str]]] = {}
    for (family, bold, italic), path in sorted(faces.items()):
        if family not in named:
            continue
        wanted = {c for c in chars if ord(c) in _cmap(path)}
        # A face of another script is embedded only when the text needs it.
        if family not in main and not {ord(c) for c in wanted} - latin:
            continue
        data = face_bytes(layouts, path, frozenset(wanted))
        key = "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"
        target = f"fonts/font{sum(map(len, embedded.values())) + 1}.odttf"
        parts["word/" + target] = obfuscate(data, key)
        embedded.setdefault(family, []).append((STYLES[(bold, italic)], target + "|" + key))
    if embedded:
        _font_table(parts, embedded)
        _settings(parts)
        _content_type(parts)


def _font_table(parts: dict[str, bytes], embedded: dict[str, list[tuple[str, str]]]) -> None:
    from lxml import etree

    table = etree.fromstring(parts["word/fontTable.xml"])
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    rels = etree.Element(f"{{{package}}}Relationships", nsmap={None: package})
    number = 0
    for family, faces in embedded.items():
        font = next((f for f in table.findall(f"{{{W_NS}}}font")
                     if f.get(f"{{{W_NS}}}name") == family), None)
        if font is None:
            font = etree.SubElement(table, f"{{{W_NS}}}font")
            font.set(f"{{{W_NS}}}name", family)
            for tag, value in (("charset", "00"), ("family", "auto"), ("pitch", "variable")):
                etree.SubElement(font, f"{{{W_NS}}}{tag}").set(f"{{{W_NS}}}val", value)
        # Their order in CT_Font: regular, bold, italic, bold italic.
        for style, value in sorted(faces, key=lambda face: list(STYLES.values()).index(face[0])):
            target, key = value.split("|")
            number += 1
            rel = etree.SubElement(rels, f"{{{package}}}Relationship")
            rel.set("Id", f"rIdFont{number}")
            rel.set("Type", FONT_REL)
            rel.set("Target", target)
            embed = etree.SubElement(font, f"{{{W_NS}}}{style}")
            embed.set(f"{{{R_NS}}}id", f"rIdFont{number}")
            embed.set(f"{{{W_NS}}}fontKey", key)
            embed.set(f"{{{W_NS}}}subsetted", "1")
    parts["word/fontTable.xml"] = etree.tostring(table, xml_declaration=True,
                                                 encoding="UTF-8", standalone=True)
    parts["word/_rels/fontTable.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                            encoding="UTF-8", standalone=True)


# CT_Settings' elements that come before w:embedTrueTypeFonts (its sequence is strict).
_BEFORE_EMBED = {"writeProtection", "view", "zoom", "removePersonalInformation",
                 "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
                 "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData"}


def _settings(parts: dict[str, bytes]) -> None:
    from lxml import etree

    settings = etree.fromstring(parts["word/settings.xml"])
    for tag in ("embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts"):
        for old in settings.findall(f"{{{W_NS}}}{tag}"):
            settings.remove(old)
    index = next((i for i, child in enumerate(settings)
                  if etree.QName(child).localname not in _BEFORE_EMBED), len(settings))
    settings.insert(index, etree.Element(f"{{{W_NS}}}saveSubsetFonts"))
    settings.insert(index, etree.Element(f"{{{W_NS}}}embedTrueTypeFonts"))
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)


def _content_type(parts: dict[str, bytes]) -> None:
    types = parts["[Content_Types].xml"].decode("utf-8")
    if 'Extension="odttf"' not in types:
        odttf = f'<Default Extension="odttf" ContentType="{ODTTF_TYPE}"/>'
        types = types.replace("<Default ", odttf + "<Default ", 1)
    parts["[Content_Types].xml"] = types.encode("utf-8")
