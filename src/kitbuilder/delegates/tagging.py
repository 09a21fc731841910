"""The delegates' PDFs tagged (PDF/UA-1), as the kits are.

The shared design is WeasyPrint's tagged PDF: its structure tree is read once per design
(``read_design``) into ``Node``s whose content is the marked-content ids (MCIDs) of its page's
stream. Its empty elements (the slots and samples that keep room for personal text) become
``Hole``s named after their slot or sample, so that a person's text, drawn by typeset.Canvas
inside ``open(role, slot=…)``/``close()``, takes its place in the reading order of the design.
Per person, ``Tagger`` numbers the marked content of each page (the design's first, then
theirs) and writes the tree, its parent tree and the catalog entries as a few small objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARK = re.compile(rb"/([A-Za-z0-9]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


@dataclass
class Node:
    role: str
    attrs: str = ""  # further entries of the element's dictionary, in PDF syntax
    kids: list = field(default_factory=list)  # Node | Hole | (page, mcid)
    number: int = 0  # its object number, once written
    page: int | None = None


@dataclass
class Hole:
    """An empty element of the design: what the person's page puts in its slot."""

    name: str
    kids: list = field(default_factory=list)


@dataclass
class DesignTree:
    """One design page's elements (holes at their places) and its marked-content count."""

    nodes: list
    mcids: int


def leaf_names(page_box) -> list[str]:
    """The names (``data-style``, else the ``slot-`` id, else '') of the page's boxes that
    have no content, in the order WeasyPrint tags them: its empty elements, one each."""
    names: list[str] = []
    for child in page_box.children:
        if type(child).__name__ != "MarginBox":  # untagged by WeasyPrint
            _leaves(child, names)
    return names


def _leaves(box, names: list[str]) -> None:
    if type(box).__name__ == "AbsolutePlaceholder":
        box = box._box
    children = getattr(box, "children", None)
    kind = type(box).__name__
    if children is None or kind.endswith(("TextBox", "ReplacedBox")):
        return  # text and images: content, never empty
    tag = getattr(box, "element_tag", None) if getattr(box, "element", None) is not None \
        else None
    if tag in ("html", "body") or type(box).__name__ == "LineBox":
        pass
    elif not children:
        element = box.element
        ident = (element.get("id") or "") if element is not None else ""
        name = (element.get("data-style") if element is not None else None) or (
            ident[5:] if ident.startswith("slot-") else "")
        names.append(name)
        return
    for child in children:
        _leaves(child, names)


def read_design(source, kept: int, leaves: list[list[str]]) -> tuple[list[DesignTree],
                                                                     list[set[int]]]:
    """The trees of the first ``kept`` pages of WeasyPrint's tagged PDF ``source`` and, for
    each, the MCIDs they hold: any other marked content of the page becomes an artifact (a
    figure without alternative text, a page margin's text WeasyPrint leaves out of its
    tree)."""
    pages = {page.objgen: index for index, page in enumerate(source.pages)}
    root = source.Root.get("/StructTreeRoot")
    trees = [DesignTree([], 0) for _ in range(kept)]
    if root is None:
        return trees, [set() for _ in range(kept)]
    document = _kids(root)[0]
    for element in _kids(document):
        page = pages.get(element.get("/Pg").objgen) if "/Pg" in element else None
        if page is None or page >= kept:
            continue
        node = _node(element, page)
        if node is not None:
            trees[page].nodes.append(node)
    for page, tree in enumerate(trees):
        _name_holes(tree.nodes, leaves[page] if page < len(leaves) else [])
    return trees, [set(_mcids(tree.nodes)) for tree in trees]


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    import pikepdf

    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _node(element, page: int):
    """A Node, a leaf mark (an empty element: '' until named) or None."""
    import pikepdf

    role = str(element.get("/S"))[1:]
    kids = _kids(element)
    if not kids:
        return _Leaf(role)
    found = []
    for kid in kids:
        if isinstance(kid, int):
            found.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            found.append(int(kid.MCID))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            child = _node(kid, page)
            if isinstance(child, Node) and child.role == "Span" and not child.attrs and all(
                    isinstance(item, int) for item in child.kids):
                found.extend(child.kids)  # a bare span says nothing its parent does not
            elif child is not None:
                found.append(child)
    if role == "Figure" and not str(element.get("/Alt", "")):
        return None  # decoration: its content an artifact, as PDF/UA wants it
    attrs = ""
    for key in ("/Alt", "/Lang", "/ActualText", "/E"):
        if key in element:
            attrs += f" {key} {element[key].unparse().decode('latin-1')}"
    if "/A" in element and role not in ("TD", "TH"):  # cells' headers name IDs not kept
        attrs += " /A " + element.A.unparse(resolved=True).decode("latin-1")
    if not found:
        return None
    return Node(role, attrs, found, page=page)


@dataclass
class _Leaf:
    role: str


def _mcids(kids) -> list[int]:
    found = []
    for kid in kids:
        if isinstance(kid, int):
            found.append(kid)
        elif isinstance(kid, Node):
            found.extend(_mcids(kid.kids))
    return found


def _name_holes(nodes: list, names: list[str]) -> None:
    """The empty elements, in tree order, are the page's empty boxes in the same order:
    each becomes the Hole of its box's name. Should the two ever disagree (another
    WeasyPrint), none is named, and a person's text follows the design instead."""
    leaves: list[tuple[list, int]] = []

    def walk(kids: list) -> None:
        for index, kid in enumerate(kids):
            if isinstance(kid, _Leaf):
                leaves.append((kids, index))
            elif isinstance(kid, Node):
                walk(kid.kids)

    walk(nodes)
    matched = len(leaves) == len(names)
    for (kids, index), name in zip(leaves, names if matched else [""] * len(leaves),
                                   strict=True):
        kids[index] = Hole(name) if name else None

    def prune(kids: list) -> None:
        kids[:] = [kid for kid in kids if kid is not None]
        for kid in kids:
            if isinstance(kid, Node):
                prune(kid.kids)

    prune(nodes)


def mark_stream(content: bytes, kept: set[int]) -> tuple[bytes, int]:
    """The design page's content with MCIDs but the ``kept`` made artifacts; its MCID
    count."""
    highest = -1

    def replace(match: re.Match) -> bytes:
        nonlocal highest
        mcid = int(match.group(2))
        if mcid not in kept:
            return b"/Artifact BMC"
        highest = max(highest, mcid)
        return match.group(0)

    return MARK.sub(replace, content), highest + 1


def shifted(content: bytes, offset: int) -> bytes:
    """The design's content drawn a second time on a page: its MCIDs after ``offset``."""
    return MARK.sub(lambda m: b"/%s <</MCID %d>> BDC" % (m.group(1), int(m.group(2)) + offset),
                    content)


class Tagger:
    """One file's structure, built as its pages are drawn, page by page."""

    def __init__(self, designs: list[DesignTree]):
        self.designs = designs
        self.document = Node("Document")
        self.stack: list[Node] = [self.document]
        self.holes: dict[str, Hole] = {}
        self.parents: list[list] = []  # per page: the element of each MCID
        self.artifact = 0  # depth of open artifacts

    def new_page(self) -> None:
        self.parents.append([])

    @property
    def page(self) -> int:
        return len(self.parents) - 1

    def design(self, index: int) -> int:
        """Design page ``index`` drawn on this page: its elements (copied, their MCIDs after
        the page's) join the open element. Returns the MCID offset it is drawn with."""
        offset = len(self.parents[-1])
        tree = self.designs[index]
        self.parents[-1].extend([None] * tree.mcids)
        self.stack[-1].kids.extend(self._copy(kid, offset) for kid in tree.nodes)
        return offset

    def _copy(self, kid, offset: int):
        if isinstance(kid, Hole):
            hole = Hole(kid.name)
            self.holes[kid.name] = hole  # a design drawn again: its latest copy's
            return hole
        node = Node(kid.role, kid.attrs, page=self.page)
        for item in kid.kids:
            if isinstance(item, int):
                node.kids.append((self.page, item + offset))
                self.parents[-1][item + offset] = node
            else:
                node.kids.append(self._copy(item, offset))
        return node

    @property
    def figure(self) -> bool:
        """Whether what is drawn now is a figure's (its shapes are content, not decoration)."""
        return not self.artifact and self.stack[-1].role == "Figure"

    def open(self, role: str, slot: str = "", alt: str = "") -> str:
        """The marked-content operator that opens it, if any."""
        if role == "Artifact" or self.artifact:
            self.artifact += 1
            return "/Artifact BMC" if self.artifact == 1 else ""
        attrs = f" /Alt {_string(alt)}" if alt else ""
        if role == "TH":
            attrs += " /A << /O /Table /Scope /Column >>"
        node = Node(role, attrs, page=self.page)
        hole = self.holes.get(slot) if slot else None
        (hole.kids if hole is not None else self.stack[-1].kids).append(node)
        self.stack.append(node)
        return ""

    def close(self) -> str:
        if self.artifact:
            self.artifact -= 1
            return "EMC" if self.artifact == 0 else ""
        self.stack.pop()
        return ""

    def content(self, role: str = "P") -> tuple[str, str]:
        """(before, after) a piece of the page's own content: marked as the open element's
        (a P of its own when none is open), or as an artifact."""
        if self.artifact:
            return "", ""
        node = self.stack[-1]
        if node is self.document:
            node = Node(role, page=self.page)
            self.document.kids.append(node)
        mcid = len(self.parents[-1])
        self.parents[-1].append(node)
        node.kids.append((self.page, mcid))
        return f"/{node.role} <</MCID {mcid}>> BDC ", " EMC"

    def objects(self, first: int, pages: list[int]) -> tuple[list[tuple[int, bytes]], int]:
        """The tree's objects numbered from ``first`` (``pages``: each page's object number);
        the last is the StructTreeRoot. An element with nothing drawn in it is left out."""
        root = first
        self.next = first + 2  # root, parent tree, then the elements
        objects: list = []
        self._write(self.document, root, pages, objects)
        nums = " ".join(f"{index} [{' '.join(map(_reference, elements))}]"
                        for index, elements in enumerate(self.parents))
        objects.append((first + 1, f"<< /Nums [{nums}] >>".encode()))
        objects.append((root, (
            f"<< /Type /StructTreeRoot /K [{self.document.number} 0 R] /ParentTree "
            f"{first + 1} 0 R /ParentTreeNextKey {len(self.parents)} >>").encode()))
        return objects, self.next

    def _write(self, node: Node, parent: int, pages: list[int], objects: list) -> bool:
        """``node`` and its elements, numbered in reading order; whether it has content."""
        number = node.number = self.next
        self.next += 1
        index = len(objects)
        objects.append(None)
        kids = []
        for kid in _expanded(node.kids):
            if type(kid) is tuple:
                kids.append(str(kid[1]) if kid[0] == node.page else
                            f"<< /Type /MCR /Pg {pages[kid[0]]} 0 R /MCID {kid[1]} >>")
            elif self._write(kid, number, pages, objects):
                kids.append(f"{kid.number} 0 R")
        if not kids:  # nothing of it was numbered after it: take its number back
            del objects[index]
            self.next, node.number = number, 0
            return False
        page = f" /Pg {pages[node.page]} 0 R" if node.page is not None else ""
        objects[index] = (number, (
            f"<< /Type /StructElem /S /{node.role} /P {parent} 0 R{page} "
            f"/K [{' '.join(kids)}]{node.attrs} >>").encode())
        return True


def _reference(node: Node | None) -> str:
    return f"{node.number} 0 R" if node is not None and node.number else "null"


# PDF/A allows only the XMP properties it knows or that the file describes: pdfuaid's.
_PDFUA_SCHEMA = (
    b'<rdf:Description rdf:about="" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    b'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    b'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas>'
    b'<rdf:Bag><rdf:li rdf:parseType="Resource">'
    b"<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>"
    b'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>'
    b"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    b"<pdfaProperty:category>internal</pdfaProperty:category>"
    b"<pdfaProperty:description>Part of ISO 14289 the file conforms to"
    b"</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li>"
    b"</rdf:Bag></pdfaExtension:schemas></rdf:Description>")


def mark_universal_access(source, archival: bool) -> None:
    """PDF/UA identification in the XMP metadata (WeasyPrint's PDF/A variants lack it), and
    for PDF/A the description of its schema."""
    if "/Metadata" not in source.Root:
        return
    with source.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if meta.get("pdfuaid:part") != "1":
            meta["pdfuaid:part"] = "1"
    data = source.Root.Metadata.read_bytes()
    if archival and b"pdfaExtension:schemas" not in data and b"</rdf:RDF>" in data:
        source.Root.Metadata.write(data.replace(b"</rdf:RDF>", _PDFUA_SCHEMA + b"</rdf:RDF>"))


def _expanded(kids: list) -> list:
    if not any(type(kid) is Hole for kid in kids):
        return kids
    out = []
    for kid in kids:
        if type(kid) is Hole:
            out.extend(_expanded(kid.kids))
        else:
            out.append(kid)
    return out


def _string(text: str) -> str:
    """A PDF text string (UTF-16BE with its byte order mark)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
