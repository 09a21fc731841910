"""Each person's PDF, written directly: the shared design's objects, serialised once, then the
person's own pages (typeset.Canvas) with the fonts subset to the glyphs they use.

A shared design is WeasyPrint's PDF of it (one page or several: a list's first and following
pages, a badge's header). Its pages become form XObjects and everything they use (fonts,
images, colour spaces; for PDF/A the XMP metadata and output intent) is serialised once
(``Template``). A person's file is that block of bytes, a few objects of their own and a
cross-reference table: no PDF library runs per person, which is what made a thousand
letters take seconds instead of minutes.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass

from .typeset import Canvas, Face, Line, harfbuzz_font

PT = 0.75  # PDF points per CSS px


@dataclass
class Template:
    body: bytes  # "N 0 obj … endobj" for every object the forms and metadata use
    offsets: dict[int, int]  # object number -> its offset in body
    forms: list[int]  # object number of each source page's form XObject
    sizes: list[tuple[float, float]]  # each source page's size, in CSS px
    catalog: bytes  # extra catalog entries (PDF/A: /Metadata, /OutputIntents)
    info: int | None  # the document information dictionary's object number
    next_number: int
    digest: bytes

    @classmethod
    def from_pdf(cls, data: bytes, archival: bool = False, pages: int | None = None
                 ) -> Template:
        """``pages``: how many of the source's first pages become forms (the others hold
        only samples, and nothing of theirs is kept)."""
        import pikepdf

        source = pikepdf.open(io.BytesIO(data))
        kept = list(source.pages)[:pages]
        forms = [source.make_indirect(page.as_form_xobject()) for page in kept]
        sizes = [(float(page.mediabox[2]) / PT, float(page.mediabox[3]) / PT)
                 for page in kept]
        roots = list(forms)
        catalog = b""
        if archival:
            for key in ("/Metadata", "/OutputIntents"):
                if key in source.Root:
                    value = source.Root[key]
                    if not value.is_indirect:
                        value = source.make_indirect(value)
                    roots.append(value)
                    catalog += f" {key} {value.objgen[0]} 0 R".encode()
        info = None
        if "/Info" in source.trailer:
            value = source.trailer.Info
            if not value.is_indirect:
                value = source.make_indirect(value)
            roots.append(value)
            info = value.objgen[0]
        found: dict[int, object] = {}
        for root in roots:
            _collect(root, found, pikepdf)
        chunks, offsets, position = [], {}, 0
        for number in sorted(found):
            chunk = _serialise(number, found[number], pikepdf)
            offsets[number] = position
            position += len(chunk)
            chunks.append(chunk)
        body = b"".join(chunks)
        source.close()
        return cls(body=body, offsets=offsets, forms=[f.objgen[0] for f in forms],
                   sizes=sizes, catalog=catalog, info=info,
                   next_number=max(offsets) + 1, digest=hashlib.md5(body).digest())


def _collect(obj, found: dict, pikepdf) -> None:
    if not isinstance(obj, pikepdf.Object):  # a number or name pikepdf gave as Python's
        return
    if obj.is_indirect:
        number, generation = obj.objgen
        if generation != 0:
            raise RuntimeError("a shared design's PDF uses object generations")
        if number in found:
            return
        found[number] = obj
    if isinstance(obj, pikepdf.Stream):
        children = list(obj.stream_dict.values())
    elif isinstance(obj, pikepdf.Dictionary):
        children = list(obj.values())
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        _collect(child, found, pikepdf)


def _serialise(number: int, obj, pikepdf) -> bytes:
    head = f"{number} 0 obj\n".encode()
    if isinstance(obj, pikepdf.Stream):
        raw = obj.read_raw_bytes()
        dictionary = pikepdf.Dictionary(obj.stream_dict)
        dictionary.Length = len(raw)
        return head + dictionary.unparse() + b"\nstream\n" + raw + b"\nendstream\nendobj\n"
    if isinstance(obj, pikepdf.Dictionary):
        text = pikepdf.Dictionary(obj).unparse()
    elif isinstance(obj, pikepdf.Array):
        text = pikepdf.Array(list(obj)).unparse()
    else:
        text = obj.unparse(resolved=True)
    return head + text + b"\nendobj\n"


class _Fonts:
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
            face, _, _ = harfbuzz_font(path)
            wanted = hb.SubsetInput()
            for gid in glyphs:
                wanted.glyph_set.add(gid)
            wanted.flags = hb.SubsetFlags.NO_HINTING | (
                hb.SubsetFlags.RETAIN_GIDS if retain_ids else hb.SubsetFlags.DEFAULT)
            for tag in (b"GSUB", b"GPOS", b"GDEF"):  # already shaped
                wanted.drop_table_tag_set.add(int.from_bytes(tag, "big"))
            plan = hb.SubsetPlan(face, wanted)
            mapping = dict(plan.old_to_new_glyph_mapping)
            program = bytes(plan.execute().blob.data)
            metrics = Face(path).metrics
            kept = retain_ids or metrics["cff"]
            if metrics["cff"]:  # the subset keeps each glyph's CID, its code in the PDF
                mapping = {gid: gid for gid in mapping}
            reverse = metrics["reverse_cmap"]
            texts = {mapping[gid]: text or reverse.get(gid, "")
                     for gid, text in glyphs.items() if gid in mapping}
            result[path] = (self.names[path], mapping, program, texts, kept)
        return result


class _Identity(dict):
    """A glyph id mapping that keeps every id (retain-gids subsets)."""

    def get(self, key, default=None):
        return key


def _font_objects(first: int, path: str, mapping: dict[int, int], program: bytes,
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
        _stream(packed, file_entries),
        _stream(zlib.compress(unicode_map, 6), "/Filter /FlateDecode"),
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


def _stream(data: bytes, entries: str = "") -> bytes:
    return (f"<< /Length {len(data)} {entries} >>\nstream\n".encode() + data +
            b"\nendstream")


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _content(canvas: Canvas, template: Template, fonts: dict) -> bytes:
    height = canvas.height
    out: list[str] = []
    for item in canvas.items:
        kind = item[0]
        if kind == "form":
            _, index, x, y = item
            # A form's origin is its page's bottom-left corner: placed with its top at y.
            bottom = height - y - template.sizes[index][1]
            out.append(f"q 1 0 0 1 {_number(x * PT)} {_number(bottom * PT)} cm /S{index} Do Q")
        elif kind == "rect":
            _, x, y, w, h, (r, g, b) = item
            out.append(f"{r:.3f} {g:.3f} {b:.3f} rg {_number(x * PT)} "
                       f"{_number((height - y - h) * PT)} {_number(w * PT)} {_number(h * PT)}"
                       " re f")
        else:
            _, line, x, baseline = item
            out.append(_text(line, x * PT, (height - baseline) * PT, fonts))
    return "\n".join(out).encode()


def _text(line: Line, x: float, y: float, fonts: dict) -> str:
    """One line at (x, y), in PDF points, as a TJ: glyph codes (the subset's ids) with the
    shaper's kerning as adjustments; a glyph the shaper moves (a mark) gets its own place.
    A glyph of a fallback face switches the font (Tf) for its run."""
    style = line.style
    upem = style.face.metrics["upem"]
    size = style.size * PT
    r, g, b = style.color
    # Tc is graphics state: it outlives the text object, so every line sets its own.
    head = f"BT {r:.3f} {g:.3f} {b:.3f} rg {_number(style.letter_spacing * PT)} Tc "
    parts, pen = [], 0.0
    run: list[str] = []
    run_start = 0.0
    current = None  # the face path whose font is selected

    def flush():
        if run:
            parts.append(f"1 0 0 1 {_number(x + run_start)} {_number(y)} Tm [{''.join(run)}] TJ")
            run.clear()

    for glyph in line.glyphs:
        face = glyph.face or style.face
        if face.path != current:
            flush()
            current = face.path
            name, mapping = fonts[current][:2]
            parts.append(f"/{name} {_number(size)} Tf")
            _, hb_font, _ = harfbuzz_font(current)
            scale = 1.0 if glyph.face is None else upem / face.metrics["upem"]
        code = f"<{mapping.get(glyph.gid, 0):04X}>"
        natural = hb_font.get_glyph_h_advance(glyph.gid) * scale
        step = glyph.advance * size / upem + (style.letter_spacing * PT if glyph.text else 0)
        if glyph.x_offset or glyph.y_offset:
            flush()
            dx, dy = glyph.x_offset * size / upem, glyph.y_offset * size / upem
            parts.append(f"1 0 0 1 {_number(x + pen + dx)} {_number(y + dy)} Tm [{code}] TJ")
            pen += step
            run_start = pen
            continue
        if not run:
            run_start = pen
        run.append(code)
        if glyph.advance != natural:
            run.append(f" {_number((natural - glyph.advance) * 1000 / upem)} ")
        pen += step
    flush()
    if line.actual:  # what a reader copies or searches: the text in reading order
        actual = ("\ufeff" + line.actual).encode("utf-16-be").hex().upper()
        return f"{head}/Span << /ActualText <{actual}> >> BDC {' '.join(parts)} EMC ET"
    return head + " ".join(parts) + " ET"


def write_pdf(template: Template, canvases: list[Canvas], lang: str) -> bytes:
    """A complete PDF: ``canvases`` as its pages, over the template's forms."""
    fonts = _Fonts()
    for canvas in canvases:
        fonts.use_all(canvas)
    subsets = fonts.subset()
    pages = [(canvas.width, canvas.height, [zlib.compress(_content(canvas, template, subsets), 6)])
             for canvas in canvases]
    return _assemble(template, lang, subsets, pages)


class PageStream:
    """A long document's pages written as they are finished (the list of participants):
    each page's content is compressed at once and only its bytes are kept, so memory does
    not grow with the people it holds. Glyphs keep the font's own ids (a retain-gids subset
    at the end), since the pages are written before the file's glyphs are all known."""

    def __init__(self, template: Template, lang: str):
        self.template, self.lang = template, lang
        self.fonts = _Fonts()
        self.pages: list[tuple[float, float, list[bytes]]] = []

    def add(self, canvas: Canvas) -> None:
        self.pages.append((canvas.width, canvas.height, [self._compressed(canvas)]))

    def _compressed(self, canvas: Canvas) -> bytes:
        self.fonts.use_all(canvas)
        names = {path: (name, _Identity()) for path, name in self.fonts.names.items()}
        return zlib.compress(_content(canvas, self.template, names), 6)

    def finish(self, overlays: list[Canvas] = ()) -> bytes:
        """The file; ``overlays`` (one per page, e.g. "Page N of M") are drawn over the
        pages, as a second content stream each."""
        for (_, _, contents), overlay in zip(self.pages, overlays, strict=False):
            contents.append(self._compressed(overlay))
        return _assemble(self.template, self.lang, self.fonts.subset(retain_ids=True),
                         self.pages)


def _assemble(template: Template, lang: str, subsets: dict,
              pages: list[tuple[float, float, list[bytes]]]) -> bytes:
    number = template.next_number
    objects: list[tuple[int, bytes]] = []
    font_refs = []
    for path, (name, mapping, program, texts, retained) in subsets.items():
        for offset, chunk in enumerate(_font_objects(number, path, mapping, program, texts,
                                                     retained)):
            objects.append((number + offset, chunk))
        font_refs.append(f"/{name} {number} 0 R")
        number += 5
    forms = " ".join(f"/S{i} {n} 0 R" for i, n in enumerate(template.forms))
    resources = f"<< /XObject << {forms} >> /Font << {' '.join(font_refs)} >> >>"
    pages_number = number
    number += 1
    kids = []
    for width, height, contents in pages:
        refs = []
        for content in contents:
            objects.append((number, _stream(content, "/Filter /FlateDecode")))
            refs.append(f"{number} 0 R")
            number += 1
        objects.append((number, (
            f"<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 "
            f"{_number(width * PT)} {_number(height * PT)}] /Resources "
            f"{resources} /Contents [{' '.join(refs)}] >>").encode()))
        kids.append(f"{number} 0 R")
        number += 1
    objects.append((pages_number, f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count "
                                  f"{len(kids)} >>".encode()))
    catalog = number
    lang_text = lang.replace("\\", "").replace("(", "").replace(")", "")
    objects.append((catalog, f"<< /Type /Catalog /Pages {pages_number} 0 R /Lang "
                             f"({lang_text})".encode() + template.catalog + b" >>"))
    number += 1

    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    out = io.BytesIO()
    out.write(header)
    positions = {n: len(header) + offset for n, offset in template.offsets.items()}
    out.write(template.body)
    digest = hashlib.md5(template.digest)
    for n, chunk in objects:
        positions[n] = out.tell()
        data = f"{n} 0 obj\n".encode() + chunk + b"\nendobj\n"
        digest.update(data)
        out.write(data)
    xref = out.tell()
    lines = [f"xref\n0 {number}\n", "0000000000 65535 f \n"]
    for n in range(1, number):
        if n in positions:
            lines.append(f"{positions[n]:010d} 00000 n \n")
        else:
            lines.append("0000000000 65535 f \n")
    out.write("".join(lines).encode())
    ident = digest.hexdigest()
    info = f" /Info {template.info} 0 R" if template.info else ""
    out.write(f"trailer\n<< /Size {number} /Root {catalog} 0 R{info} /ID [<{ident}> <{ident}>]"
              f" >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
