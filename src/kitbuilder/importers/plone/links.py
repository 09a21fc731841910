"""Links inside rich text: Plone's ``resolveuid/<UID>`` and paths on the old site, turned into
links to the imported document (its chapter) or file; anything else internal is unresolvable.

Forms met in raw exports: ``resolveuid/UID``, ``../resolveuid/UID#anchor``, ``resolveUid/…``,
``…/@@download/file/name.pdf``, ``…/@@images/image/large``, relative and absolute paths,
``…/view``, old Archetypes scales (``image_preview``), and absolute URLs on the old host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from .index import Index
from .items import Entry

_RESOLVEUID = re.compile(r"(?:^|/)resolve[Uu]id/([A-Za-z0-9_-]{1,64})(/[^?#]*)?")
# What follows an item's path in a link to it: a view, a download, an image scale.
_SUFFIX = re.compile(r"/(?:view|@@[\w.-]+(?:/.*)?|image_\w+|at_download/\w+|(?:file|image))$")
_FILE_SUFFIX = re.compile(r"@@download|@@images|/image|/file|at_download")


@dataclass
class Targets:
    documents: dict[str, str] = field(default_factory=dict)  # UID → chapter id (file stem)
    assets: dict[str, str] = field(default_factory=dict)  # UID → file name in content/assets/


@dataclass(frozen=True)
class Resolved:
    href: str | None  # None: keep the text, drop the link
    problem: str = ""  # why it could not be resolved (empty: nothing to report)


class Links:
    def __init__(self, index: Index, targets: Targets):
        self.index, self.targets = index, targets

    def resolve(self, url: str, entry: Entry, image: bool = False) -> Resolved:
        url = url.strip()
        if not url:
            return Resolved(None)
        if url.startswith("#"):
            return Resolved(None)  # an anchor of the same page: pages become one chapter each
        parts = urlsplit(url)
        if parts.scheme in ("mailto",):
            return Resolved(url)
        found = _RESOLVEUID.search(parts.path)
        if found:
            return self._to_item(found.group(1), found.group(2) or "", url, image)
        if parts.scheme not in ("", "http", "https"):
            return Resolved(None, f"'{url[:200]}' uses a scheme kits do not allow")
        if parts.scheme and parts.netloc.lower() not in self.index.hosts:
            return Resolved(url)  # another site
        return self._to_path(unquote(urljoin(entry.path, parts.path)), url, image)

    def _to_path(self, path: str, url: str, image: bool) -> Resolved:
        suffix = ""
        for _ in range(4):
            target = self.index.find(path.rstrip("/") or "/") or self._moved(path)
            if target is not None:
                return self._to_item(target.uid, suffix, url, image)
            shorter = _SUFFIX.search(path)
            if shorter is None:
                break
            suffix = shorter.group(0) + suffix
            path = path[: shorter.start()]
        return Resolved(None, f"'{url[:200]}' points to nothing in the export (a page deleted, "
                              "moved or outside the exported folder)")

    def _moved(self, path: str) -> Entry | None:
        """An item renamed or moved since the link was written (export_redirects.json)."""
        uid = self.index.redirects.get(path.rstrip("/"))
        return self.index.entries.get(uid) if uid else None

    def _to_item(self, uid: str, suffix: str, url: str, image: bool) -> Resolved:
        asset = self.targets.assets.get(uid)
        document = self.targets.documents.get(uid)
        if asset and (image or _FILE_SUFFIX.search(suffix) or document is None):
            return Resolved(f"../assets/{asset}")
        if document and not image:  # the build makes it a link to the document's chapter
            return Resolved(f"{document}.md")
        entry = self.index.entries.get(uid)
        if entry is None:
            return Resolved(None, f"'{url[:200]}' names an item (UID {uid}) that is not in the "
                                  "export (deleted, or outside the exported folder)")
        return Resolved(None, f"'{url[:200]}' points to '{entry.title}' ({entry.path}), which "
                              "is not imported (outside the workshop folder, private, or of a "
                              "kind kits do not hold)")
