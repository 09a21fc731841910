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

from .pdffonts import Identity, UsedFonts, font_objects, stream_object
from .tagging import Tagger, mark_stream, mark_universal_access, read_design, shifted
from .typeset import Canvas, Line, harfbuzz_font

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
        mark_universal_access(source, archival)
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
    fonts = UsedFonts()
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
        self.fonts = UsedFonts()
        self.tagger = Tagger(template.designs)
        self.pages: list[tuple[float, float, list]] = []

    def add(self, canvas: Canvas) -> None:
        self.pages.append((canvas.width, canvas.height, self._compressed(canvas)))

    def _compressed(self, canvas: Canvas, artifact: bool = False) -> list:
        self.fonts.use_all(canvas)
        names = {path: (name, Identity()) for path, name in self.fonts.names.items()}
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
            objects.append((number, stream_object(content, "/Filter /FlateDecode")))
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
        for offset, chunk in enumerate(font_objects(number, path, mapping, program, texts,
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
