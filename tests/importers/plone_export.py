"""A Plone site's export as collective.exportimport writes it (see
docs/plone.md and the format notes): a meeting in English and Spanish with Word-paste pages,
resolveuid links, events in UTC over several days, a file, an image, a draft, a Link, a
Collection and an item Plone could not export. Invented people and places only."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from pathlib import Path

HOST = "http://localhost:8080"
SITE = "/Plone"


def uid(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()


def png() -> bytes:
    """A real 2×1 PNG (pikepdf/Pillow open it)."""
    raw = b"\x00\xff\x00\x00\x00\x00\xff\x00"
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (2).to_bytes(4, "big") + (1).to_bytes(4, "big")
            + b"\x08\x02\x00\x00\x00") + chunk(b"IDAT", zlib.compress(raw[:7]))
            + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

WORD_PASTE = (
    '<p class="MsoNormal"><span lang="ES-CO" style="mso-ansi-language:ES-CO">The workshop '
    'brings together the delegations of the region.<o:p></o:p></span></p>\n'
    '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
    '<h2>Objectives</h2>\n'
    '<p class="MsoListParagraphCxSpFirst" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1">'
    '<!--[if !supportLists]--><span style="font-family:Symbol">\u00b7<span style="font:7.0pt '
    '&quot;Times New Roman&quot;">&nbsp;&nbsp;&nbsp;</span></span><!--[endif]-->Share '
    'experiences of labour migration<o:p></o:p></p>\n'
    '<p class="MsoListParagraphCxSpLast" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1">'
    '<!--[if !supportLists]--><span style="font-family:Symbol">\u00b7<span>&nbsp;&nbsp;'
    '</span></span><!--[endif]-->Agree on next steps<o:p></o:p></p>\n'
    '<p><br></p>\n'
    '<table class="MsoNormalTable"><tbody><tr><th>Day</th><th>Theme</th></tr>'
    '<tr><td><p class="MsoNormal">1</p></td><td><p class="MsoNormal">Context</p></td></tr>'
    '</tbody></table>\n'
    '<p>See the <a data-linktype="internal" data-val="{logistics}" '
    'href="../resolveuid/{logistics}#venue">logistics note</a>, the '
    '<a href="resolveUid/{agenda_pdf}/@@download/file/provisional-agenda.pdf">provisional '
    'agenda (PDF)</a>, a <a href="resolveuid/{gone}">page deleted long ago</a> and '
    '<a href="https://www.example.org/rcm">the RCM site</a>.</p>\n'
    '<p><img class="image-richtext" data-linktype="image" data-scale="larger" '
    'src="../resolveuid/{map}/@@images/image/larger" alt="Venue map"></p>\n'
    '<script>alert("x")</script><p onclick="steal()">Caf\u00e9 con leche \ud83c\udf89</p>\n'
    '<p class="MsoNormal">Remittances grew<a style="mso-footnote-id:ftn1" href="#_ftn1" '
    'name="_ftnref1" title=""><span class="MsoFootnoteReference"><span style="mso-special-'
    'character:footnote"><![if !supportFootnotes]><span class="MsoFootnoteReference">[1]</span>'
    '<![endif]></span></span></a> in 2021.<o:p></o:p></p>\n'
    '<div style="mso-element:footnote-list"><![if !supportFootnotes]><br clear="all">'
    '<hr align="left" size="1" width="33%"><![endif]><div style="mso-element:footnote" '
    'id="ftn1"><p class="MsoFootnoteText"><a style="mso-footnote-id:ftn1" href="#_ftnref1" '
    'name="_ftn1" title=""><span class="MsoFootnoteReference">[1]</span></a> Example Bank, '
    '<i>Remittances report</i>, 2022.<o:p></o:p></p></div></div>'
)


def _item(kind: str, path: str, title: str, **extra) -> dict:
    parent_path = path.rsplit("/", 1)[0]
    item = {
        "@id": HOST + path, "@type": kind, "UID": uid(path), "id": path.rsplit("/", 1)[1],
        "title": title, "description": "", "language": extra.pop("language", "en"),
        "review_state": extra.pop("review_state", "published"),
        "parent": {"@id": HOST + parent_path, "@type": "Folder", "UID": uid(parent_path),
                   "title": "", "description": "", "review_state": "published"},
        "created": "2022-01-10T14:02:11+00:00", "modified": "2022-03-01T09:15:40+00:00",
        "is_folderish": kind in ("Folder", "LRF", "LIF"), "exportimport.constrains": {},
    }
    item.update(extra)
    return item


def _text(html: str) -> dict:
    return {"content-type": "text/html", "data": html, "encoding": "utf-8"}


def items(blobs: str = "base64") -> list[dict]:
    en, es = f"{SITE}/en/rcm-2022-workshop", f"{SITE}/es/taller-rcm-2022"
    ids = {"logistics": uid(f"{en}/logistics"), "agenda_pdf": uid(f"{en}/provisional-agenda"),
           "gone": "deadbeef" * 4, "map": uid(f"{SITE}/en/assets/venue-map")}
    file_blob = ({"blob_path": "0x00/0x00/0x01/0x2e/0x03e5b1c2d3a4b5c6.blob",
                  "content-type": "application/pdf", "filename": "provisional-agenda.pdf",
                  "size": len(PDF)} if blobs == "blob_path" else
                 {"content-type": "application/pdf", "data": base64.b64encode(PDF).decode(),
                  "encoding": "base64", "filename": "provisional-agenda.pdf"})
    return [
        _item("LRF", f"{SITE}/en", "English"),
        _item("LIF", f"{SITE}/en/assets", "Assets"),
        _item("Image", f"{SITE}/en/assets/venue-map", "Venue map", review_state=None,
              image={"content-type": "image/png", "data": base64.b64encode(png()).decode(),
                     "encoding": "base64", "filename": "venue-map.png"}),
        _item("Folder", en, "RCM 2022 Regional Workshop \u2014 Bogot\u00e1"),
        _item("Document", f"{en}/concept-note", "Concept note",
              description="Purpose and expected outputs.",
              text=_text(WORD_PASTE.format(**ids))),
        _item("Event", f"{en}/closing", "Closing", start="2022-03-15T21:30:00+00:00",
              end="2022-03-15T22:00:00+00:00", whole_day=False, open_end=False,
              recurrence=None, location="Room B", description="Conclusions and next steps."),
        _item("Event", f"{en}/evening-reception", "Evening reception",
              start="2022-03-15T23:00:00+00:00", end="2022-03-16T01:00:00+00:00",
              whole_day=False, open_end=False, recurrence=None, location="Terrace"),
        _item("Document", f"{en}/internal-notes", "Internal notes (draft)",
              review_state="private", text=_text("<p>Budget of Ana Example</p>")),
        _item("Link", f"{en}/rcm-website", "RCM website", remoteUrl="https://example.org"),
        _item("Collection", f"{en}/all-news", "All news", query=[{"i": "portal_type",
              "o": "plone.app.querystring.operation.selection.any", "v": ["News Item"]}]),
        _item("Document", f"{en}/logistics", "Logistics note",
              text=_text('<h1>Practical information</h1><h2 id="venue">Venue</h2><p>Hotel '
                         f'Example, <a href="{HOST}{en}/concept-note/view">concept note</a>.'
                         '</p><p>Back to <a href="../rcm-2022-workshop">the workshop</a>.</p>')),
        _item("News Item", f"{en}/registration-open", "Registration is open",
              text=_text("<p>Register by <strong>1 March</strong>.</p>"),
              image={"content-type": "image/png", "data": base64.b64encode(png()).decode(),
                     "encoding": "base64", "filename": "registration.png"},
              image_caption="The form"),
        _item("Event", f"{en}/opening", "Opening session", start="2022-03-14T13:45:00+00:00",
              end="2022-03-14T15:15:00+00:00", whole_day=False, open_end=False,
              recurrence=None, location="Room A", description="Welcome by the hosts."),
        _item("File", f"{en}/provisional-agenda", "Provisional agenda", review_state=None,
              file=file_blob),
        _item("Event", f"{en}/workshop-days", "Workshop", start="2022-03-14T05:00:00+00:00",
              end="2022-03-16T04:59:59+00:00", whole_day=True, open_end=False,
              recurrence=None, location=""),
        _item("LRF", f"{SITE}/es", "Espa\u00f1ol", language="es"),
        _item("Folder", es, "Taller regional CRM 2022 \u2014 Bogot\u00e1",
              language={"token": "es", "title": "Espa\u00f1ol"}),
        _item("Document", f"{es}/logistica", "Nota log\u00edstica", language="es",
              text=_text("<p>Hotel Ejemplo.</p>")),
        _item("Document", f"{es}/nota-conceptual", "Nota conceptual", language="es",
              text=_text('<p class="MsoNormal">El taller re\u00fane a las delegaciones.'
                         '<o:p></o:p></p><p>&nbsp;</p><p>Ver la <a href="'
                         f'{HOST}{es}/logistica-antigua">nota log\u00edstica</a>.</p>')),
        _item("Event", f"{es}/apertura", "Sesi\u00f3n de apertura", language="es",
              start="2022-03-14T13:45:00+00:00", end="2022-03-14T15:15:00+00:00",
              whole_day=False, open_end=False, recurrence=None, location="Sala A"),
        {"unexported_paths": [{"path": f"{HOST}{en}/broken-file",
                               "message": "POSKeyError: 'No blob file'"}]},
    ]


def side_files(folder: Path) -> None:
    en, es = f"{SITE}/en/rcm-2022-workshop", f"{SITE}/es/taller-rcm-2022"
    pairs = [(en, es), (f"{en}/concept-note", f"{es}/nota-conceptual"),
             (f"{en}/logistics", f"{es}/logistica"), (f"{en}/opening", f"{es}/apertura"),
             (f"{SITE}/en", f"{SITE}/es")]
    dump = {"export_translations.json": [{"en": uid(a), "es": uid(b)} for a, b in pairs]
            + [{"en": uid(f"{en}/gone"), "fr": "0" * 32}],
            "export_defaultpages.json": [{"uuid": uid(en), "default_page": "concept-note",
                                          "default_page_uuid": uid(f"{en}/concept-note")},
                                         {"uuid": "plone_site_root", "default_page": "front"}],
            # Folder order: the file first, then logistics, the events; Spanish: logistics 2nd.
            "export_ordering.json": [{"uuid": uid(f"{en}/{name}"), "order": n} for n, name in
                                     enumerate(["provisional-agenda", "concept-note",
                                                "logistics", "registration-open", "opening",
                                                "closing"])]
            + [{"uuid": uid(f"{es}/nota-conceptual"), "order": 0},
               {"uuid": uid(f"{es}/logistica"), "order": 1}]}
    # A page renamed since a link to it was written: Plone keeps the old path as a redirect.
    dump["export_redirects.json"] = {f"{es}/logistica-antigua": f"{es}/logistica"}
    for name, value in dump.items():
        (folder / name).write_text(json.dumps(value, indent=4), encoding="ascii")
    # Password hashes live here: the importer must never open it.
    (folder / "export_members.json").write_text("{not json: SECRET-HASH", encoding="ascii")


def write_single(folder: Path, blobs: str = "base64") -> Path:
    """Plone.json as @@export_content streams it: '[' item ',' item … ']', ASCII."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Plone.json"
    with path.open("w", encoding="ascii") as out:
        out.write("[")
        for number, item in enumerate(items(blobs)):
            out.write("," if number else "")
            json.dump(item, out, sort_keys=True, indent=4)
        out.write("]")
    side_files(folder)
    _blobstorage(folder, blobs)
    return path


def _blobstorage(folder: Path, blobs: str) -> None:
    """A copy of the old site's var/blobstorage, as the import needs for blob paths."""
    if blobs == "blob_path":
        blob = folder / "blobstorage" / "0x00/0x00/0x01/0x2e/0x03e5b1c2d3a4b5c6.blob"
        blob.parent.mkdir(parents=True)
        blob.write_bytes(PDF)


def write_per_item(folder: Path, blobs: str = "base64") -> Path:
    """'Save each item as a separate file': content/1.json … (numeric order), errors.json."""
    content = folder / "content"
    content.mkdir(parents=True)
    for number, item in enumerate(items(blobs), start=1):
        if "unexported_paths" in item:
            (content / "errors.json").write_text(json.dumps(item, indent=4), encoding="ascii")
            continue
        (content / f"{number}.json").write_text(json.dumps(item, sort_keys=True, indent=4),
                                                encoding="ascii")
    side_files(folder)
    _blobstorage(folder, blobs)
    return content
