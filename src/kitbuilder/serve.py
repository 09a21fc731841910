"""``kitbuilder serve``: a local preview of every kit that reloads itself when a file is saved.

A stdlib HTTP server (one thread per request) on 127.0.0.1 unless told otherwise. It serves
only what it renders: kits are built into a private cache folder by the ordinary pipeline
(so a preview is exactly a kit), and no URL is ever mapped to a file path, so nothing outside
the project can be reached by ``..``, encoded dots or absolute paths. A watchfiles thread
bumps a version number when content/, layouts/ or locales/ change; every cached kit of an
older version is rendered again on the next request, and open pages are told to reload over
server-sent events (a script served by this server, nothing from outside the machine).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
import threading
from functools import cache
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .errors import KitError, Problem
from .pipeline import build
from .project import ProjectPaths
from .settings import Settings
from .translation.blocks import yaml_blocks
from .translation.state import read_state
from .translation.status import document_status, project_status, was_text, word_diff
from .validate import load_and_check

TEMPLATES = Path(__file__).parent / "serve_templates"
MARK = Markup('<span class="kb-block" data-kb-where="{}" data-kb-state="{}"></span>')
_KIT = re.compile(r"^/([a-z]{2})/([a-z]{2,3})/(kit\.pdf)?$")
_REVIEW = re.compile(r"^/review/([a-z]{2,3})/$")


class Preview:
    """What the server shows, rendered on request and cached until an input changes."""

    def __init__(self, paths: ProjectPaths) -> None:
        self.paths = paths
        self.cache_dir = Path(tempfile.mkdtemp(prefix="kitbuilder-serve-"))
        self.version = 0
        self.changed = threading.Condition()
        self.lock = threading.Lock()  # one render at a time: the machine is shared
        self.cache: dict[tuple, tuple[int, bytes]] = {}
        self.stop = threading.Event()

    def close(self) -> None:
        self.stop.set()
        with self.changed:
            self.changed.notify_all()
        shutil.rmtree(self.cache_dir, ignore_errors=True)

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def watch(self) -> None:
        """Runs in a thread: every save under content/, layouts/ or locales/ bumps the version."""
        from watchfiles import watch

        folders = [str(p) for p in (self.paths.content, self.paths.layouts, self.paths.locales)
                   if Path(p).is_dir()]
        for _changes in watch(*folders, stop_event=self.stop, debounce=150, step=50,
                              rust_timeout=500, yield_on_timeout=False):
            self.bump()

    # --- content ------------------------------------------------------------------------

    def load(self):
        """(project, problems) with the content checked; project None when it cannot load."""
        project, problems = load_and_check(Settings.for_project(self.paths))
        return (None if problems.errors else project), problems

    def render(self, country: str, lang: str, fmt: str) -> tuple[bytes | None, list[Problem]]:
        key = (country, lang, fmt)
        with self.lock:
            version = self.version
            cached = self.cache.get(key)
            if cached is not None and cached[0] == version:
                return cached[1], []

            paths = dataclasses.replace(self.paths, output=self.cache_dir / fmt)
            # The HTML page marks each block's origin and state; the PDF is the kit as sent.
            settings = Settings.for_project(paths, countries=(country.upper(),),
                                            languages=(lang,), formats=(fmt,), jobs=1,
                                            preview=fmt == "html")
            try:
                build(settings)
            except KitError as exc:
                return None, exc.problems
            # A build whose inputs did not change reuses its files and lists no artifacts.
            found = sorted((Path(settings.output) / country.lower() / lang).glob(f"*.{fmt}"))
            if not found:
                return None, [Problem(str(self.paths.content), 0, "error",
                                      f"no {fmt} kit for {country.upper()}/{lang}")]
            data = found[0].read_bytes()
            self.cache[key] = (version, data)
            return data, []


@cache
def environment() -> Environment:
    """The preview's own pages (not a kit's layouts): escaped unless marked, every name
    defined."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


def problems_page(problems: list[Problem]) -> bytes:
    return render("problems.html.j2", title="kitbuilder: content errors",
                  problems=[str(p) for p in problems]).encode()


def index_page(preview: Preview) -> bytes:
    project, problems = preview.load()
    if project is None:
        return problems_page(problems.errors)
    statuses = project_status(project)
    kits = []
    for country in project.countries:
        for lang in country.languages:
            mine = [s for s in statuses if s.lang == lang]
            counts = ", ".join(
                f"{s.document}: {s.count('translated')} translated, {s.count('stale')} stale, "
                f"{s.count('missing') + s.count('untranslated')} missing, {s.fallback} fallback"
                for s in mine) or "source language"
            kits.append({"link": f"/{country.code.lower()}/{lang}/", "country": country.code,
                         "lang": lang, "counts": counts})
    reviews = [lang for lang in project.workshop.languages
               if any(s.lang == lang for s in statuses)]
    return render("index.html.j2", title="kitbuilder preview", kits=kits,
                  reviews=reviews).encode()


def kit_banner(preview: Preview, project, lang: str) -> str:
    """Where this kit's language is not up to date, block by block, with file and line."""
    root = Path(preview.paths.root).resolve()
    items = []
    for status in project_status(project, (lang,)):
        for block in status.blocks:
            if block.state == "translated":
                continue
            where = Path(status.path if block.state != "missing" else status.source_path)
            if where.resolve().is_relative_to(root):
                where = where.resolve().relative_to(root)
            items.append({"where": str(where), "line": block.line, "state": block.state,
                          "id": block.id, "text": block.source_text[:80]})
        for own in status.unpaired:  # kept in the kit, marked "Translation under review"
            where = Path(status.path)
            if where.resolve().is_relative_to(root):
                where = where.resolve().relative_to(root)
            items.append({"where": str(where), "line": own.line, "state": "needs review",
                          "id": own.id, "text": own.text[:80]})
    return render("banner.html.j2", items=items) if items else ""


def field_origins(project, lang: str) -> list[tuple[str, str, str]]:
    """(text as the kit prints it, file:line, state) of every text of the YAML documents
    (agenda titles, guidance, roles …) in ``lang``'s kits; Markdown blocks carry their own
    marks (translation/fallback.py)."""
    content = Path(project.root)
    found = []
    for filename in project.translatable_files:
        if not filename.endswith(".yaml"):
            continue
        source = project.source_of(filename)
        if lang == source:
            for block in yaml_blocks(content / lang / filename) or []:
                found.append((block.text, f"{content.name}/{lang}/{filename}:{block.line}",
                              "source"))
            continue
        status = document_status(project, lang, filename)
        for row in (status.rows if status is not None and status.exists else []):
            # As the kit prints it: the translation only once confirmed (or unpaired).
            shown = row.own if row.state in ("translated", "unpaired") else row.source
            where = (f"{content.name}/{lang}/{filename}:{row.own.line}" if row.own
                     else f"{content.name}/{source}/{filename}:{row.source.line}")
            found.append((shown.text, where, row.state))
    return found


def mark_fields(html: str, origins: list[tuple[str, str, str]]) -> str:
    """Put each field's origin mark at the head of the first element in the body whose whole
    text is that field (in order, so a text used twice is marked twice)."""
    start = max(html.find("<body"), 0)
    cursor: dict[str, int] = {}
    marks: list[tuple[int, str]] = []
    for text, where, state in origins:
        needle = ">" + escape(text, quote=False) + "<"
        at = html.find(needle, cursor.get(needle, start))
        if at < 0:
            continue  # not printed as written (a template reworded or split it)
        cursor[needle] = at + len(needle)
        marks.append((at + 1, str(MARK.format(where, state))))  # str: joined to plain text
    for at, mark in sorted(marks, reverse=True):
        html = html[:at] + mark + html[at:]
    return html


def kit_page(preview: Preview, country: str, lang: str) -> tuple[int, str, bytes]:
    project, problems = preview.load()
    if project is None:
        return 200, "text/html; charset=utf-8", problems_page(problems.errors)
    if not any(c.code.lower() == country and lang in c.languages for c in project.countries):
        return 404, "text/plain; charset=utf-8", b"no such kit\n"
    data, errors = preview.render(country, lang, "html")
    if data is None:
        return 200, "text/html; charset=utf-8", problems_page(errors)
    html = mark_fields(data.decode("utf-8"), field_origins(project, lang))
    banner = kit_banner(preview, project, lang)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, html, count=1)
    html = html.replace("</head>", render("style.html.j2") + "</head>", 1)
    html = html.replace("</body>", render("reload.html.j2") + "</body>", 1)
    return 200, "text/html; charset=utf-8", html.encode("utf-8")


def review_page(preview: Preview, lang: str) -> tuple[int, str, bytes]:
    project, problems = preview.load()
    if project is None:
        return 200, "text/html; charset=utf-8", problems_page(problems.errors)
    statuses = project_status(project, (lang,))
    if not statuses:
        return 404, "text/plain; charset=utf-8", b"no translation in this language\n"
    documents = []
    for status in statuses:
        entry = read_state(Path(project.root), lang).get(status.document, {})
        rows = []
        for row in status.rows:
            was = was_text(entry, row.own.id) \
                if row.state == "stale" and row.own is not None else None
            rows.append({"state": row.state, "source": row.source.text if row.source else "",
                         "own": row.own.text if row.own else None,
                         "change": word_diff(was, row.source.raw) if was is not None else None})
        documents.append({"name": status.document, "rows": rows})
    return 200, "text/html; charset=utf-8", render(
        "review.html.j2", title=f"Review {lang}", lang=lang, documents=documents).encode()


class Handler(BaseHTTPRequestHandler):
    preview: Preview  # set on the class made by make_server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # only kitbuilder.cli prints; requests are not news

    def send(self, status: int, kind: str, body: bytes) -> None:
        if kind.startswith("text/html"):
            # Taken before rendering: a save during the render makes the page reload again.
            body = body.replace(b"__KB_VERSION__", str(self.version_at_start).encode(), 1)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = unquote(urlsplit(self.path).path)
        self.version_at_start = self.preview.version
        try:
            if path == "/events":
                return self.events()
            if path == "/":
                return self.send(200, "text/html; charset=utf-8", index_page(self.preview))
            kit = _KIT.match(path)
            if kit and kit.group(3):
                data, problems = self.preview.render(kit.group(1), kit.group(2), "pdf")
                if data is None:
                    return self.send(200, "text/html; charset=utf-8", problems_page(problems))
                return self.send(200, "application/pdf", data)
            if kit:
                return self.send(*kit_page(self.preview, kit.group(1), kit.group(2)))
            review = _REVIEW.match(path)
            if review:
                return self.send(*review_page(self.preview, review.group(1)))
            return self.send(404, "text/plain; charset=utf-8", b"not found\n")
        except (BrokenPipeError, ConnectionResetError):
            return None

    def events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        seen = None
        try:
            while not preview.stop.is_set():
                with preview.changed:
                    if seen == preview.version:
                        preview.changed.wait(timeout=15)
                    version = preview.version
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def make_server(paths: ProjectPaths, host: str, port: int) -> tuple[ThreadingHTTPServer,
                                                                     Preview]:
    preview = Preview(paths)
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server, preview

