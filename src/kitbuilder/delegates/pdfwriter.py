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

from .tagging import Tagger, mark_stream, mark_universal_access, read_design, shifted
from .typeset import Canvas, Face, Line, harfbuzz_font

PT = 0.75  # PDF points per CSS px


@dataclass
class Template:
    body: bytes  # "N 0 obj … endobj" for every object the design's pages and metadata use
    offsets: dict[int, int]  # object number -> its offset in body
    streams: list[int]  # object number of each source page's content stream
    save: int  # a stream of "q", drawn before a design's own stream
    contents: list[bytes]  # each source page's content, for drawing it again on a page
    sizes: list[tuple[float, float]]  # each source page's size, in CSS px
    resources: str  # the design's resources, but its fonts (PDF syntax)
    fonts: str  # the design's font resources
    catalog: bytes  # extra catalog entries (/Metadata; PDF/A: /OutputIntents)
    info: int | None  # the document information dictionary's object number
    designs: list  # each source page's structure (tagging.DesignTree)
    next_number: int
    digest: bytes

    @classmethod
    def from_pdf(cls, data: bytes, archival: bool = False, pages: int | None = None,
                 leaves: list[list[str]] | None = None) -> Template:
        """``pages``: how many of the source's first pages are drawn again (the others hold
        only samples, and nothing of theirs is kept); ``leaves``: each page's empty boxes'
        names (tagging.leaf_names), where personal text goes in the structure."""
        import pikepdf

        source = pikepdf.open(io.BytesIO(data))
        kept = list(source.pages)[:pages]
        designs, marked = read_design(source, len(kept), leaves or [])
        streams, contents = [], []
        for index, page in enumerate(kept):
            content, designs[index].mcids = mark_stream(
                page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
                else b"\n".join(part.read_bytes() for part in page.Contents), marked[index])
            stream = source.make_stream(zlib.compress(content, 6))
            stream.Filter = pikepdf.Name.FlateDecode
            streams.append(source.make_indirect(stream))
            contents.append(content)
        save = source.make_indirect(source.make_stream(b"q"))
        streams.append(save)
        sizes = [(float(page.mediabox[2]) / PT, float(page.mediabox[3]) / PT)
                 for page in kept]
        resources, fonts = _resources(kept, source, pikepdf)
        roots = list(streams) + [r for r in resources.values()] + list(fonts.values())
        catalog = b""
        mark_universal_access(source)
        for key in ("/Metadata", "/OutputIntents") if archival else ("/Metadata",):
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
        return cls(body=body, offsets=offsets, streams=[s.objgen[0] for s in streams[:-1]],
                   save=save.objgen[0],
                   contents=contents, sizes=sizes,
                   resources=" ".join(f"{k} {_ref(v)}" for k, v in resources.items()),
                   fonts=" ".join(f"{k} {_ref(v)}" for k, v in fonts.items()),
                   catalog=catalog, info=info, designs=designs,
                   next_number=max(offsets) + 1, digest=hashlib.md5(body).digest())


def _ref(obj) -> str:
    return f"{obj.objgen[0]} 0 R"


def _resources(pages, source, pikepdf) -> tuple[dict, dict]:
    """The kept pages' resources (WeasyPrint gives its pages one dictionary), each made an
    indirect object: (every kind but fonts, the fonts)."""
    kinds: dict = {}
    fonts: dict = {}
    for page in pages:
        for kind, entries in page.get("/Resources", pikepdf.Dictionary()).items():
            if kind == "/Font":
                for name, font in entries.items():
                    fonts.setdefault(name, font if font.is_indirect
                                     else source.make_indirect(font))
            elif kind not in kinds:
                kinds[kind] = entries if entries.is_indirect else source.make_indirect(entries)
    return kinds, fonts


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


def _content(canvas: Canvas, template: Template, fonts: dict, tagger: Tagger,
             artifact: bool = False) -> list:
    """The page's content: pieces of its own (bytes) and the design's shared streams (their
    object numbers), in drawing order, marked for the structure ``tagger`` builds."""
    if artifact:
        tagger.open("Artifact")
    else:
        tagger.new_page()
    height = canvas.height
    out: list = []
    own: list[str] = ["/Artifact BMC"] if artifact else []

    def flush() -> None:
        if own:
            out.append("\n".join(own).encode())
            own.clear()

    for item in canvas.items:
        kind = item[0]
        if kind == "form":
            _, index, x, y = item
            offset = tagger.design(index)
            # A page of the design is drawn with its bottom-left corner at (x, y + its height).
            bottom = height - y - template.sizes[index][1]
            if not x and not bottom and not offset:
                flush()
                out.extend((template.save, template.streams[index]))
                own.append("Q")
            else:
                w, h = template.sizes[index]
                own.append(f"q 1 0 0 1 {_number(x * PT)} {_number(bottom * PT)} cm 0 0 "
                           f"{_number(w * PT)} {_number(h * PT)} re W n")
                own.append(shifted(template.contents[index], offset).decode("latin-1"))
                own.append("Q")
        elif kind == "open":
            own.append(tagger.open(*item[1:]))
        elif kind == "close":
            own.append(tagger.close())
        elif kind == "rect":
            _, x, y, w, h, (r, g, b) = item
            before, after = tagger.content() if tagger.figure else ("/Artifact BMC", "EMC")
            own.append(f"{before} {r:.3f} {g:.3f} {b:.3f} rg {_number(x * PT)} "
                       f"{_number((height - y - h) * PT)} {_number(w * PT)} {_number(h * PT)}"
                       f" re f {after}")
        else:
            _, line, x, baseline = item
            before, after = tagger.content()
            own.append(before + _text(line, x * PT, (height - baseline) * PT, fonts) + after)
    if artifact:
        own.append(tagger.close())
    flush()
    return out


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
    """A complete PDF: ``canvases`` as its pages, over the template's design."""
    fonts = _Fonts()
    for canvas in canvases:
        fonts.use_all(canvas)
    subsets = fonts.subset()
    tagger = Tagger(template.designs)
    pages = [(canvas.width, canvas.height,
              _compressed(_content(canvas, template, subsets, tagger)))
             for canvas in canvases]
    return _assemble(template, lang, subsets, pages, tagger)


def _compressed(pieces: list) -> list:
    return [zlib.compress(piece, 6) if isinstance(piece, bytes) else piece
            for piece in pieces]


class PageStream:
    """A long document's pages written as they are finished (the list of participants):
    each page's content is compressed at once and only its bytes are kept, so memory does
    not grow with the people it holds. Glyphs keep the font's own ids (a retain-gids subset
    at the end), since the pages are written before the file's glyphs are all known."""

    def __init__(self, template: Template, lang: str):
        self.template, self.lang = template, lang
        self.fonts = _Fonts()
        self.tagger = Tagger(template.designs)
        self.pages: list[tuple[float, float, list]] = []

    def add(self, canvas: Canvas) -> None:
        self.pages.append((canvas.width, canvas.height, self._compressed(canvas)))

    def _compressed(self, canvas: Canvas, artifact: bool = False) -> list:
        self.fonts.use_all(canvas)
        names = {path: (name, _Identity()) for path, name in self.fonts.names.items()}
        return _compressed(_content(canvas, self.template, names, self.tagger, artifact))

    def finish(self, overlays: list[Canvas] = ()) -> bytes:
        """The file; ``overlays`` (one per page, e.g. "Page N of M": pagination, an
        artifact) are drawn over the pages, as a content stream of their own each."""
        for (_, _, contents), overlay in zip(self.pages, overlays, strict=False):
            contents.extend(self._compressed(overlay, artifact=True))
        return _assemble(self.template, self.lang, self.fonts.subset(retain_ids=True),
                         self.pages, self.tagger)


def _pages(pages: list, number: int, parent: int, resources: int,
           objects: list[tuple[int, bytes]]) -> tuple[list[int], int]:
    """The pages and their own content streams, numbered from ``number``: (the pages'
    numbers, the next number)."""
    kids = []
    for index, (width, height, contents) in enumerate(pages):
        refs = []
        for content in contents:
            if isinstance(content, int):  # the design's own stream, shared
                refs.append(f"{content} 0 R")
                continue
            objects.append((number, _stream(content, "/Filter /FlateDecode")))
            refs.append(f"{number} 0 R")
            number += 1
        objects.append((number, (
            f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 "
            f"{_number(width * PT)} {_number(height * PT)}] /Resources {resources} 0 R "
            f"/Contents [{' '.join(refs)}] /StructParents {index} /Tabs /S >>").encode()))
        kids.append(number)
        number += 1
    return kids, number


def _assemble(template: Template, lang: str, subsets: dict,
              pages: list[tuple[float, float, list]], tagger: Tagger) -> bytes:
    number = template.next_number
    objects: list[tuple[int, bytes]] = []
    font_refs = [template.fonts]
    for path, (name, mapping, program, texts, retained) in subsets.items():
        for offset, chunk in enumerate(_font_objects(number, path, mapping, program, texts,
                                                     retained)):
            objects.append((number + offset, chunk))
        font_refs.append(f"/{name} {number} 0 R")
        number += 5
    resources = number
    objects.append((resources, f"<< {template.resources} /Font << {' '.join(font_refs)} >> >>"
                    .encode()))
    pages_number = number + 1
    kids, number = _pages(pages, number + 2, pages_number, resources, objects)
    objects.append((pages_number, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}]"
                                  f" /Count {len(kids)} >>".encode()))
    structure, number = tagger.objects(number, kids)
    objects.extend(structure)
    catalog = number
    lang_text = lang.replace("\\", "").replace("(", "").replace(")", "")
    objects.append((catalog, f"<< /Type /Catalog /Pages {pages_number} 0 R /Lang "
                             f"({lang_text}) /StructTreeRoot {structure[-1][0]} 0 R "
                             "/MarkInfo << /Marked true >> /ViewerPreferences << "
                             "/DisplayDocTitle true >>".encode() + template.catalog + b" >>"))
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
