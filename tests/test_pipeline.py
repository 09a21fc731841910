"""The shipped workshop built end to end, with every output opened and read."""

import hashlib
import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from kitbuilder.errors import KitError
from kitbuilder.pipeline import build
from kitbuilder.settings import Settings
from tests.conftest import pdf_text

pytestmark = pytest.mark.slow

COUNTRIES = {"BZ": "en", "CA": "en", "CR": "es", "DO": "es", "SV": "es", "GT": "es",
             "HN": "es", "MX": "es", "NI": "es", "PA": "es", "US": "en"}
SPEAKERS = ["Rocío González Higuera", "Leandro Morais", "Merten Sievers", "Luisa Fernanda",
            "José Loayza Pacheco", "Edith Paredes", "Elisa Mendelli"]


def kit_file(output, code, fmt):
    lang = COUNTRIES[code]
    return output / code.lower() / lang / f"rcm-wglm-2021-ws1-{code.lower()}-{lang}.{fmt}"


def test_every_country_gets_three_formats(shipped_build):
    output, reporter = shipped_build
    for code in COUNTRIES:
        for fmt in ("pdf", "docx", "html"):
            assert kit_file(output, code, fmt).stat().st_size > 1000, (code, fmt)
    documents = [a for a in reporter.of_kind("artifact") if a["format"] in ("pdf", "docx", "html")]
    assert len(documents) == 33


def test_manifest_hashes_match_the_files(shipped_build):
    output, _ = shipped_build
    manifest = json.loads((output / "manifest.json").read_text())
    entries = [e for e in manifest["files"] if e["format"] in ("pdf", "docx", "html")]
    assert len(entries) == 33
    for entry in entries:
        data = (output / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
        assert COUNTRIES[entry["country"]] == entry["language"]


def test_english_pdf_carries_speakers_and_key_sentences(shipped_build):
    text = pdf_text(kit_file(shipped_build[0], "CA", "pdf"))
    for name in SPEAKERS:
        assert name in text, name
    for sentence in [
        "reached the figure of 43 million unemployed people",
        "Publicize different models of promotion of enterprises",
        "2 representatives of the ministries of labour (labour migration units)",
        # The work's own (Spanish) title, with its translation in brackets.
        "Manual para el emprendimiento migrante [Manual for migrant entrepreneurship]",
        "Delegation form of Canada",  # place_names.py's form
        "Monday, 8 November 2021",
    ]:
        assert sentence in text, sentence
    unwrapped = text.replace(" ", "")  # long URLs wrap across lines
    assert ("https://www.onu.org.mx/wp-content/uploads/2021/07/OIM-Manual-para-el-Emprendimiento-"
            "Migrante.pdf") in unwrapped
    assert "efaidnbmnnnibpcajpcglclefindmkaj" not in text


def test_spanish_pdf_keeps_accents(shipped_build):
    text = pdf_text(kit_file(shipped_build[0], "MX", "pdf"))
    for name in SPEAKERS:
        assert name in text, name
    for sentence in [
        "Conferencia Regional sobre Migración",
        "economía social y solidaria",
        "lunes, 8 de noviembre de 2021",
        "Formulario de la delegación de México",  # place_names.py's form
        "Página 1 de",
    ]:
        assert sentence in text, sentence


class _Cells(HTMLParser):
    """Collects the text of agenda time cells and every resource reference."""

    def __init__(self):
        super().__init__()
        self.times, self.resources, self.tags = [], [], []
        self._in_time = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "span" and attrs.get("class") == "time":
            self._in_time = True
        for name in ("src", "srcset", "poster", "data"):
            if attrs.get(name):
                self.resources.append(attrs[name])
        if tag == "link":
            self.resources.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_time = False

    def handle_data(self, data):
        if self._in_time:
            self.times.append(data.strip())


def parse(path):
    cells = _Cells()
    cells.feed(path.read_text(encoding="utf-8"))
    return cells


def test_dominican_republic_sees_the_welcome_at_its_local_time(shipped_build):
    output, _ = shipped_build
    dominican = parse(kit_file(output, "DO", "html"))
    assert dominican.times[0] == "11:00–11:15"  # 09:00 in Mexico City is 11:00 in Santo Domingo
    assert dominican.times[-1] == "13:40–14:00"
    mexico = parse(kit_file(output, "MX", "html"))
    assert mexico.times[0] == "09:00–09:15"
    text = pdf_text(kit_file(output, "DO", "pdf"))
    # The zones as delegates know them (CLDR metazones), offsets with a true minus sign.
    assert "11:00–11:15" in text and "hora del Atlántico (UTC\u22124)" in text
    assert "Hora de referencia: hora central, Ciudad de México (UTC\u22126)" in text


def test_html_loads_nothing_external(shipped_build):
    for code in COUNTRIES:
        path = kit_file(shipped_build[0], code, "html")
        cells = parse(path)
        assert not {"iframe", "object", "embed"} & set(cells.tags)
        assert cells.resources and all(r.startswith("data:") for r in cells.resources)
        html = path.read_text(encoding="utf-8")
        # The one <link>: the favicon, embedded (issue 23), so a browser asks for nothing.
        links = re.findall(r"<link\b[^>]*>", html)
        assert len(links) == cells.tags.count("link") == 1, links
        assert 'rel="icon"' in links[0] and re.search(r'href="data:image/', links[0]), links
        # One inline script, the layout's: the delegation form's CSV download, which reads
        # the inputs and sends nothing anywhere.
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert len(scripts) == 1 and scripts[0][0].strip() == ""
        assert "delegation-csv" in scripts[0][1]
        assert not re.search(r"fetch\(|XMLHttpRequest|sendBeacon|WebSocket|\.src\s*=", html)
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
        assert "@import" not in html
        assert '<meta name="viewport"' in html


def test_docx_has_heading_styles_and_an_agenda_table(shipped_build):
    from docx import Document

    doc = Document(str(kit_file(shipped_build[0], "US", "docx")))
    headings = [(p.style.name, p.text) for p in doc.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Concept note") in headings
    assert ("Heading 1", "Agenda") in headings
    assert ("Heading 2", "Context") in headings
    agenda = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Time"))
    assert len(agenda.rows) == 8  # header + the seed's seven slots
    assert "Welcome" in agenda.rows[1].cells[-2].text
    assert "Rocío González Higuera" in agenda.rows[1].cells[-2].text
    assert "10:00–10:15" in agenda.rows[1].cells[0].text  # Washington is one hour ahead
    section = doc.sections[0]
    assert "Regional Conference on Migration" in section.header.paragraphs[0].text
    assert "RCM/WGLM/2021/WS.1/INF.1" in section.footer.paragraphs[0].text
    assert doc.core_properties.language == "en"


def test_paper_follows_cldr(shipped_build):
    from pypdf import PdfReader

    def size(code):
        box = PdfReader(str(kit_file(shipped_build[0], code, "pdf"))).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size("DO") == (595, 842)  # A4
    assert size("HN") == (595, 842)
    assert size("US") == (612, 792)  # Letter
    assert size("MX") == (612, 792)


def test_content_html_is_sanitised(tmp_path, root):
    output = tmp_path / "out"
    build(Settings(content=root / "tests/projects/minimal/content", output=output,
                   formats=("html",), jobs=1))
    html = (output / "ca/en/mini-2021-ca-en.html").read_text(encoding="utf-8")
    assert "alert" not in html  # the content's script is gone (the form's own is not content)
    assert html.count("<script") == 1 and "delegation-csv" in html
    assert "tracker.png" not in html
    assert "<em>emphasis</em>" in html


def test_failed_build_keeps_the_previous_kits(tmp_path, root):
    content = root / "tests/projects/minimal/content"
    layouts = tmp_path / "layouts"
    shutil.copytree(root / "layouts", layouts)
    output = tmp_path / "out"
    settings = Settings(content=content, output=output, layouts=layouts, jobs=1,
                        formats=("html", "docx"))
    build(settings)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert len([p for p in before if p.suffix in (".html", ".docx")]) == 4  # 2 kits × 2 formats

    agenda = layouts / "partials" / "agenda.html.j2"
    agenda.write_text(agenda.read_text().replace("{{ slot.title }}", "{{ slot.no_such_field }}"))
    with pytest.raises(KitError) as failure:
        build(settings)
    assert any(p.path.endswith("partials/agenda.html.j2") and p.line > 0
               for p in failure.value.problems), failure.value.problems
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in output.iterdir() if p.name.startswith(".staging")]


def test_a_selection_that_makes_nothing_is_a_usage_error(tmp_path, root):
    from click.testing import CliRunner

    from kitbuilder.cli import main

    content = root / "tests/projects/minimal/content"
    with pytest.raises(KitError) as failure:  # DO's kits are Spanish only
        build(Settings(content=content, output=tmp_path / "out", countries=("DO",),
                       languages=("en",), formats=("html",), jobs=1))
    [problem] = failure.value.problems
    assert problem.path == "--lang" and "DO: es" in problem.message
    assert not (tmp_path / "out").exists()

    result = CliRunner().invoke(main, ["build", "--content", str(content), "--output",
                                       str(tmp_path / "out"), "--country", "DO", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "--lang: error: no kit is made in en" in result.output
    assert "Building 0 files" not in result.output and "Traceback" not in result.output


def test_no_participating_countries_is_a_content_error(tmp_path, root):
    content = tmp_path / "content"
    shutil.copytree(root / "tests/projects/minimal/content", content)
    (content / "countries.yaml").write_text("countries: []\n", encoding="utf-8")
    with pytest.raises(KitError) as failure:
        build(Settings(content=content, output=tmp_path / "out", formats=("html",), jobs=1))
    [problem] = failure.value.problems
    assert problem.path.endswith("countries.yaml") and problem.line == 1
    assert problem.message.endswith("no participating countries; add at least one")


def test_an_output_that_is_a_file_fails_cleanly(tmp_path, root):
    from click.testing import CliRunner

    from kitbuilder.cli import main

    in_the_way = tmp_path / "output"
    in_the_way.write_text("not a folder\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--content",
                                       str(root / "tests/projects/minimal/content"),
                                       "--output", str(in_the_way), "--format", "html"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert (f"{in_the_way}: error: a file is in the way of the output folder {in_the_way}; "
            "choose another --output folder") in result.output
    assert in_the_way.read_text(encoding="utf-8") == "not a folder\n"


def test_a_build_gives_its_callers_process_its_garbage_collector_back(tmp_path, root):
    """The build collects in larger steps while it runs (render/worker.py); a process that
    calls build() (the tests, `kitbuilder serve`) keeps its own thresholds."""
    import gc

    before = gc.get_threshold()
    build(Settings(content=root / "tests/projects/minimal/content", output=tmp_path / "out",
                   layouts=root / "layouts", formats=("html",), jobs=1))
    assert gc.get_threshold() == before
