"""Per-country zip packages: every language's PDF, DOCX, HTML and calendar, plus a short index.

Byte-reproducible: entries are sorted, every entry has the same fixed time (from the
build epoch) and permissions, and the index is rendered from content and catalogs only.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from .. import locale as loc
from ..content.model import Country, Project
from ..engine.artifact import atomic_write_bytes
from ..errors import Problem
from ..incremental import source_date_epoch
from ..plan import Artifact, file_name, package_name
from ..report import Reporter
from ..settings import Settings

PACKAGED_FORMATS = ("pdf", "docx", "html", "ics")
DEFAULT_BUDGET = 10_000_000  # bytes; a common mail size limit
INDEX_NAME = "README.txt"

def N_(message: str) -> str:
    """Marks a string for `pybabel extract`; it is translated where it is used."""
    return message


_DESCRIPTIONS = {
    "pdf": N_("Print version (PDF)"),
    "docx": N_("Editable version (Word)"),
    "html": N_("Web version (HTML), opens in any browser"),
    "ics": N_("Agenda as a calendar file (iCalendar): import it into your calendar; times are "
              "local."),
    "print": N_("Print shop version (PDF, crop marks and bleed)"),
    "archive": N_("Archival version (PDF/A)"),
}
# The PDF a package holds: the screen edition; a build of only the print or archival edition
# packages that one, so that its zip is never a README listing nothing.
PDF_EDITIONS = ("screen", "print", "archive")


def zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The build epoch as a zip entry time (zip cannot store dates before 1980)."""
    moment = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.UTC)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute,
            moment.second - moment.second % 2)


def index_text(project: Project, country: Country, files: dict[str, list[str]],
               locales_dir: Path) -> str:
    """A short README in each of the country's languages, listing the files."""
    sections = []
    for lang in country.languages:
        if lang not in files:
            continue
        gettext = loc.load_translations(locales_dir, lang).gettext
        locale = loc.cldr_locale(project.workshop.cldr_tag(lang))
        text, _ = project.document(lang, "workshop")
        heading = gettext("Kit for %(country)s") % {
            "country": loc.country_name(country.code, locale)}
        lines = [
            heading,
            "=" * len(heading),
            "",
            text.title,
            f"{text.conference} · {text.kind} · {loc.long_date(project.workshop.date, locale)}",
            "",
            gettext("This package contains:"),
            "",
        ]
        for name in files[lang]:
            stem, fmt = name.rsplit(".", 1)
            edition = stem.rsplit("-", 1)[1] if fmt == "pdf" else ""
            lines.append(f"- {name}")
            lines.append(f"  {gettext(_DESCRIPTIONS.get(edition, _DESCRIPTIONS[fmt]))}")
        sections.append("\n".join(lines))
    return "\n\n\n".join(sections) + "\n"


def build_package(project: Project, country: Country, output: Path, epoch: int,
                  locales_dir: Path) -> tuple[bytes, list[str]]:
    """The zip's bytes and the names of its entries, from the kit files now in ``output``."""
    files: dict[str, list[str]] = {}
    sources: dict[str, Path] = {}
    for lang in country.languages:
        for fmt in PACKAGED_FORMATS:
            editions = PDF_EDITIONS if fmt == "pdf" else ("screen",)
            found = (file_name(project, country, lang, fmt, e) for e in editions)
            relative = next((r for r in found if (output / r).is_file()), None)
            if relative:
                name = Path(relative).name
                files.setdefault(lang, []).append(name)
                sources[name] = output / relative
    if not sources:
        return b"", []
    entries = {INDEX_NAME: index_text(project, country, files, locales_dir).encode("utf-8")}
    entries.update({name: path.read_bytes() for name, path in sources.items()})
    buffer = io.BytesIO()
    stamp = zip_time(epoch)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, whatever the machine: same bytes everywhere
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue(), sorted(entries)


def write_packages(output: Path, project: Project, built: list[Artifact], settings: Settings,
                   reporter: Reporter) -> list[Artifact]:
    """Write one zip per country this build touched; returns them as artifacts for the manifest.

    A country's package holds every kit file of that country now in ``output``, so a build
    limited to one language or format still packages the complete, current kit.
    """
    epoch = source_date_epoch(project)
    budget = getattr(settings, "package_budget", DEFAULT_BUDGET)
    codes = {a.country.code for a in built}
    packages = []
    for country in project.countries:
        if country.code not in codes:
            continue
        relative = package_name(project, country)
        data, names = build_package(project, country, output, epoch, settings.locales_dir())
        if not names:  # nothing of this country's kit to send
            continue
        atomic_write_bytes(output / relative, data)
        reporter.emit("package", path=relative, country=country.code, size=len(data),
                      files=names, budget=budget)
        if budget and len(data) > budget:
            reporter.emit("warning", problem=Problem(
                relative, 0, "warning",
                f"package is {len(data) / 1e6:.1f} MB, above the {budget / 1e6:.1f} MB budget; "
                "many mail servers refuse it: send the files separately or raise "
                "--package-budget"))
        packages.append(Artifact(country, "+".join(country.languages), "zip", relative))
    return packages
