"""What WeasyPrint's PDF lacks, added before the file is written (its ``finisher`` hook).

- Form fields any filler can type in. WeasyPrint gives each text field a default appearance
  (/DA) in a Type0 font with Identity-H encoding: only a viewer that shapes text itself can
  write into it, and pdftk, qpdf/pikepdf or poppler wrote boxes or "?". The fields type in a
  simple TrueType font with WinAnsiEncoding instead, the same font program (the form's Latin
  cut of Noto Sans, embedded whole), sized to fit (0 Tf) so that a long entry shrinks instead
  of being cut.
- A passage in another language (``lang`` on an element below the root) tagged with /Lang:
  WeasyPrint gives only the document its language.
- A link annotation's object reference (OBJR) in its /Link structure element: WeasyPrint puts
  it in the element of the box carrying the link (a Span inside the link), where PDF/UA
  checkers and assistive technology do not find the link.
- An /IDTree in the structure tree root: table cells point at their header cells' IDs
  (/Headers), and assistive technology resolves an ID only through that tree.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from ..locale import direction_of

# The name the fields' default appearance uses for the font, in /AcroForm /DR.
FORM_FONT = "NotoSans"
# WinAnsiEncoding's codes: cp1252 leaves five of them undefined.
_FIRST, _LAST = 32, 255
_DA_FONT = re.compile(rb"/(\S+) [\d.]+ Tf")
_DA_COLOUR = re.compile(rb"[\d.]+ [\d.]+ [\d.]+ rg")


def finish(document, pdf) -> None:
    """WeasyPrint's finisher: called with the laid-out document and the pydyf PDF."""
    add_id_tree(pdf)
    move_links_to_link_elements(pdf)
    retype_form_fields(pdf, right_to_left=direction_of(document.metadata.lang or "") == "rtl")


def _resolve(pdf, value):
    """The object a pydyf reference (b"12 0 R") names, or the value itself."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _bytes(string) -> bytes:
    value = string.string
    return value if isinstance(value, bytes) else value.encode("latin-1")


def add_id_tree(pdf) -> None:
    """Every structure element's /ID in the root's /IDTree (a name tree of one node)."""
    import pydyf

    elements = sorted(
        ((obj["ID"].string, obj.reference) for obj in pdf.objects
         if isinstance(obj, pydyf.Dictionary) and "S" in obj and "ID" in obj),
        key=lambda item: item[0].encode("utf-8"))
    if not elements or "StructTreeRoot" not in pdf.catalog:
        return
    names = pydyf.Array()
    for key, reference in elements:
        names.extend((pydyf.String(key), reference))
    tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(tree)
    _resolve(pdf, pdf.catalog["StructTreeRoot"])["IDTree"] = tree.reference


def _is(obj, kind: str) -> bool:
    return hasattr(obj, "get") and obj.get("Type") == kind


def move_links_to_link_elements(pdf) -> None:
    """Each link annotation's OBJR a kid of its nearest /Link ancestor, and the parent tree
    saying so."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    numbers = _resolve(pdf, _resolve(pdf, pdf.catalog["StructTreeRoot"])["ParentTree"])["Nums"]
    where = {numbers[i]: i + 1 for i in range(0, len(numbers), 2)}
    for element in [obj for obj in pdf.objects if _is(obj, "/StructElem")]:
        if element.get("S") == "/Link":
            continue
        moved = False
        for kid in list(element["K"]):
            target = _resolve(pdf, kid)
            if not _is(target, "/OBJR"):
                continue
            annotation = _resolve(pdf, target["Obj"])
            link = _link_ancestor(pdf, element)
            if annotation.get("Subtype") != "/Link" or link is None:
                continue
            element["K"].remove(kid)
            link["K"].append(kid)
            moved = True
            if annotation.get("StructParent") in where:
                numbers[where[annotation["StructParent"]]] = link.reference
        if moved:
            _prune(pdf, element)


def _prune(pdf, element) -> None:
    """An element left holding nothing (it held only the link) leaves its parent, and so on
    up while parents are emptied in turn (never a table cell: the table keeps its grid)."""
    while not element["K"] and element.get("S") not in ("/TD", "/TH"):
        parent = _resolve(pdf, element.get("P"))
        if not _is(parent, "/StructElem") or element.reference not in parent["K"]:
            return
        parent["K"].remove(element.reference)
        element = parent


def _link_ancestor(pdf, element):
    parent = _resolve(pdf, element.get("P"))
    while _is(parent, "/StructElem"):
        if parent.get("S") == "/Link":
            return parent
        parent = _resolve(pdf, parent.get("P"))
    return None


def retype_form_fields(pdf, right_to_left: bool = False) -> None:
    """The text fields' /DA in a simple WinAnsi font, put in a /DR of the form's own; an
    empty field without /V; in a kit written right to left, text typed from the right (/Q 2:
    WeasyPrint writes no alignment)."""
    import pydyf

    form = pdf.catalog.get("AcroForm")
    if not form:
        return
    fields = [_resolve(pdf, field) for field in form["Fields"]]
    text_fields = [field for field in fields if field.get("FT") == "/Tx"]
    if not text_fields:
        return
    resources = _resolve(pdf, form["DR"])
    fonts = _resolve(pdf, resources["Font"])
    appearance = _bytes(text_fields[0]["DA"])
    found = _DA_FONT.search(appearance)
    if found is None:
        return
    type0 = _resolve(pdf, fonts[found.group(1).decode("ascii")])
    descendant = _resolve(pdf, _resolve(pdf, type0["DescendantFonts"])[0])
    descriptor = _resolve(pdf, descendant["FontDescriptor"])
    program = descriptor["FontFile2"]
    font = _winansi_font(pdf, descriptor, program,
                         b"".join(_resolve(pdf, program).stream))
    own = pydyf.Dictionary({name: reference for name, reference in fonts.items()})
    own[FORM_FONT] = font.reference
    form["DR"] = pydyf.Dictionary({"Font": own})
    for field in text_fields:
        colour = _DA_COLOUR.search(_bytes(field["DA"]))
        ink = colour.group(0).decode("ascii") + " " if colour else ""
        field["DA"] = pydyf.String(f"{ink}/{FORM_FONT} 0 Tf")
        # An empty field has no value (the entry is optional). With an empty one, poppler
        # (pdftotext, Evince) spent about a second on each form page in Cyrillic, Arabic or
        # Chinese, reporting every character of the page missing from the form's Latin font.
        if "V" in field and not getattr(field["V"], "string", True):
            del field["V"]
        if right_to_left:
            field["Q"] = 2


def _winansi_font(pdf, cid_descriptor, program: bytes, data: bytes):
    """A simple TrueType font over the same embedded font program (no second copy)."""
    import pydyf

    postscript_name, widths = _metrics(data)
    descriptor = pydyf.Dictionary({
        key: value for key, value in cid_descriptor.items() if key not in ("CIDSet",)})
    descriptor["FontName"] = f"/{postscript_name}"
    # Nonsymbolic: the codes are WinAnsi characters, found through the font's Unicode cmap.
    descriptor["Flags"] = (int(cid_descriptor["Flags"]) & ~4) | 32
    pdf.add_object(descriptor)
    font = pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/TrueType", "BaseFont": f"/{postscript_name}",
        "FirstChar": _FIRST, "LastChar": _LAST, "Widths": pydyf.Array(widths),
        "Encoding": "/WinAnsiEncoding", "FontDescriptor": descriptor.reference,
    })
    pdf.add_object(font)
    return font


@lru_cache(maxsize=4)
def _metrics(data: bytes) -> tuple[str, tuple[int, ...]]:
    """The font's PostScript name and the advance width (1/1000 em) of each WinAnsi code."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    scale = 1000 / font["head"].unitsPerEm
    notdef = advances[font.getGlyphOrder()[0]][0]
    widths = []
    for code in range(_FIRST, _LAST + 1):
        try:
            glyph = cmap.get(ord(bytes([code]).decode("cp1252")))
        except UnicodeDecodeError:
            glyph = None
        widths.append(round((advances[glyph][0] if glyph else notdef) * scale))
    name = re.sub(r"[^A-Za-z0-9-]", "", font["name"].getDebugName(6) or "") or FORM_FONT
    return name, tuple(widths)


def tag_languages() -> None:
    """Make WeasyPrint's structure elements carry /Lang where their HTML element has ``lang``
    (an English title in a Spanish list of references). WeasyPrint builds its structure tree
    in one recursive function and sets no /Lang below the catalog; it is wrapped once per
    process, and left alone if a WeasyPrint version no longer has it."""
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "tags_languages", False):
        return

    def build(box, parent, *args):
        element = getattr(box, "element", None)
        lang = None
        if element is not None and getattr(box, "element_tag", None) != "html":
            lang = element.get("lang") if hasattr(element, "get") else None
        for structure in original(box, parent, *args):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    build.tags_languages = True
    tags._build_box_tree = build
