"""The fonts of a delegate's PDF: each face a file uses, subset to the glyphs it draws and
embedded as a Type0 font (CIDFontType2 for TrueType outlines, CIDFontType0 with the bare CFF
table for the CJK faces), with the widths and ToUnicode map readers need."""

from __future__ import annotations

import hashlib
import zlib

from .typeset import Canvas, Face, Line, harfbuzz_font


class UsedFonts:
    """The faces a file uses, each subset to the glyphs it draws (HarfBuzz's subsetter: a
    tenth of a millisecond). Resource names are given at first use."""

    def __init__(self):
        self.used: dict[str, dict[int, str]] = {}  # face path -> {glyph id: text}
        self.names: dict[str, str] = {}  # face path -> resource name

    def use(self, line: Line) -> None:
        own = line.style.face.path
        for g in line.glyphs:
            path = g.face.path if g.face is not None else own
            glyphs = self.used.get(path)
            if glyphs is None:
                self.names[path] = f"F{len(self.names)}"
                glyphs = self.used[path] = {}
            if g.gid not in glyphs or (g.text and not glyphs[g.gid]):
                glyphs[g.gid] = g.text

    def use_all(self, canvas: Canvas) -> None:
        for item in canvas.items:
            if item[0] == "text":
                self.use(item[1])

    def subset(self, retain_ids: bool = False
               ) -> dict[str, tuple]:
        """face path -> (resource name, old gid -> new gid, font program, new gid -> text,
        whether ids were kept).
        ``retain_ids``: the glyphs keep their ids (pages already written use them)."""
        import uharfbuzz as hb

        result = {}
        for path, glyphs in self.used.items():
            face = _subset_source(path)
            wanted = hb.SubsetInput()
            for gid in glyphs:
                wanted.glyph_set.add(gid)
            wanted.flags = hb.SubsetFlags.NO_HINTING | (
                hb.SubsetFlags.RETAIN_GIDS if retain_ids else hb.SubsetFlags.DEFAULT)
            metrics = Face(path).metrics
            for tag in _CFF_DROPPED if metrics["cff"] else (b"GSUB", b"GPOS", b"GDEF"):
                wanted.drop_table_tag_set.add(int.from_bytes(tag, "big"))  # already shaped
            if metrics["cff"]:  # the CJK faces' closure over their layout tables is slow
                wanted.flags |= hb.SubsetFlags.NO_LAYOUT_CLOSURE
            plan = hb.SubsetPlan(face, wanted)
            mapping = dict(plan.old_to_new_glyph_mapping)
            program = bytes(plan.execute().blob.data)
            kept = retain_ids or metrics["cff"]
            if metrics["cff"]:  # the subset keeps each glyph's CID, its code in the PDF
                mapping = {gid: gid for gid in mapping}
            reverse = metrics["reverse_cmap"]
            texts = {mapping[gid]: text or reverse.get(gid, "")
                     for gid, text in glyphs.items() if gid in mapping}
            result[path] = (self.names[path], mapping, program, texts, kept)
        return result


# Subsetting a CJK face costs a few tens of milliseconds a file, nearly all of it spent
# reading the whole face again; HarfBuzz can read it once (seconds) and subset it in a tenth
# of a millisecond after. A process does so once it has subset that face this many times.
PREPROCESS_AFTER = 150
_subsets: dict[str, int] = {}
_preprocessed: dict[str, object] = {}


def _subset_source(path: str):
    """The HarfBuzz face to subset ``path`` from: preprocessed once it has paid off."""
    ready = _preprocessed.get(path)
    if ready is not None:
        return ready
    face = harfbuzz_font(path)[0]
    if not Face(path).metrics["cff"]:
        return face
    _subsets[path] = _subsets.get(path, 0) + 1
    if _subsets[path] < PREPROCESS_AFTER:
        return face
    import uharfbuzz as hb

    ready = _preprocessed[path] = hb.subset_preprocess(face)
    return ready


# A CFF face embeds only its CFF table (_cff_table): the others need not be subset.
_CFF_DROPPED = (b"GSUB", b"GPOS", b"GDEF", b"cmap", b"name", b"OS/2", b"post", b"vhea",
                b"vmtx", b"VORG", b"BASE", b"hmtx", b"hhea")


class Identity(dict):
    """A glyph id mapping that keeps every id (retain-gids subsets)."""

    def get(self, key, default=None):
        return key


def font_objects(first: int, path: str, mapping: dict[int, int], program: bytes,
                  texts: dict[int, str], retained: bool) -> list[bytes]:
    """Type0 font, CIDFont, descriptor, program and ToUnicode, numbered from ``first``."""
    m = Face(path).metrics
    scale = 1000 / m["upem"]
    _, hb_font, _ = harfbuzz_font(path)
    if not retained:
        widths = [0] * (max(mapping.values()) + 1)
        for old, new in mapping.items():
            widths[new] = round(hb_font.get_glyph_h_advance(old) * scale)
        width_array = f"0 [{' '.join(map(str, widths))}]"
    else:  # a retain-gids subset: only the glyphs drawn, each at its own id
        width_array = " ".join(f"{gid} [{round(hb_font.get_glyph_h_advance(gid) * scale)}]"
                               for gid in sorted(mapping))
    tag = "".join(chr(65 + b % 26) for b in hashlib.md5(program).digest()[:6])
    name = f"/{tag}+{m['name']}"
    bbox = " ".join(str(round(v * scale)) for v in m["bbox"])
    packed = zlib.compress(program, 6)
    flags = 4 | (64 if m["italic_angle"] else 0)
    unicode_map = _to_unicode(texts)
    # CFF outlines (the CJK faces) are a CIDFontType0 whose program is the OpenType file.
    kind, to_gid = ("CIDFontType0", "") if m["cff"] else ("CIDFontType2",
                                                          " /CIDToGIDMap /Identity")
    if m["cff"]:
        program = _cff_table(program)
        packed = zlib.compress(program, 6)
    file_key, file_entries = ("FontFile3", "/Subtype /CIDFontType0C /Filter /FlateDecode") \
        if m["cff"] else ("FontFile2", f"/Length1 {len(program)} /Filter /FlateDecode")
    return [
        (f"<< /Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H "
         f"/DescendantFonts [{first + 1} 0 R] /ToUnicode {first + 4} 0 R >>").encode(),
        (f"<< /Type /Font /Subtype /{kind} /BaseFont {name} /CIDSystemInfo << "
         f"/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
         f"{first + 2} 0 R{to_gid} /W [{width_array}] >>"
         ).encode(),
        (f"<< /Type /FontDescriptor /FontName {name} /Flags {flags} /FontBBox [{bbox}] "
         f"/ItalicAngle {m['italic_angle']:g} /Ascent {round(m['ascent'] * scale)} "
         f"/Descent {-round(m['descent'] * scale)} /CapHeight "
         f"{round(m['cap_height'] * scale)} /StemV 80 /{file_key} {first + 3} 0 R >>"
         ).encode(),
        stream_object(packed, file_entries),
        stream_object(zlib.compress(unicode_map, 6), "/Filter /FlateDecode"),
    ]


def _cff_table(program: bytes) -> bytes:
    """The bare CFF table of an OpenType font: what a CIDFontType0 embeds (readers such as
    poppler draw no glyph of the OpenType wrapper's)."""
    for entry in range(int.from_bytes(program[4:6], "big")):
        record = program[12 + 16 * entry: 28 + 16 * entry]
        if record[:4] == b"CFF ":
            start, length = (int.from_bytes(record[8:12], "big"),
                             int.from_bytes(record[12:16], "big"))
            return program[start:start + length]
    raise ValueError("a CFF face's subset has no CFF table")


def _to_unicode(texts: dict[int, str]) -> bytes:
    entries = [f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>"
               for gid, text in sorted(texts.items()) if text]
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + "\n".join(blocks) + "\nendcmap\nCMapName currentdict /CMap defineresource pop\n"
            "end\nend\n").encode()


def stream_object(data: bytes, entries: str = "") -> bytes:
    return (f"<< /Length {len(data)} {entries} >>\nstream\n".encode() + data +
            b"\nendstream")
