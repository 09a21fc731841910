from kitbuilder.content.checks import cldr_paper
from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings


def warnings_of(content):
    project, problems = load_and_check(Settings(content=content))
    assert problems.errors == [], problems.errors
    return [str(p) for p in problems.warnings]


def test_seed_agenda_overlap_and_gap_are_warned(root):
    warnings = warnings_of(root / "content")
    for lang in ("en", "es"):
        assert any(w.startswith(f"content/{lang}/agenda.yaml:45: warning: slot ")
                   and "(10:15–11:00) overlaps" in w for w in warnings), warnings
        assert any(w.startswith(f"content/{lang}/agenda.yaml:54: warning: nothing is scheduled "
                                "between 11:00 and 11:20") for w in warnings), warnings
        # The seed cites "(ILO, 2021)" without a reference (content/corrections.md).
        assert any(w.startswith(f"content/{lang}/concept-note.md:6: warning: '(") and
                   "reads as a citation but is plain text" in w for w in warnings), warnings
    assert len(warnings) == 6, warnings


def test_document_missing_in_one_language_is_a_warning(project_copy):
    project = project_copy("minimal")
    warnings = warnings_of(project / "content")
    assert any("es/agenda.yaml: warning: missing in 'es'" in w for w in warnings), warnings


def test_paper_differs_from_cldr(project_copy):
    project = project_copy("minimal")
    countries = project / "content" / "countries.yaml"
    countries.write_text(countries.read_text().replace("paper: a4", "paper: letter"))
    warnings = warnings_of(project / "content")
    assert any("countries.yaml:6: warning: DO: paper 'letter' differs from CLDR's 'a4'" in w
               for w in warnings), warnings


def test_shipped_countries_use_cldr_paper_sizes(root):
    project, _ = load_and_check(Settings(content=root / "content"))
    papers = {c.code: c.paper for c in project.countries}
    assert papers == {code: cldr_paper(code) for code in papers}
    assert papers["DO"] == papers["HN"] == "a4"  # the two member states outside CLDR's Letter list
    assert {code for code, paper in papers.items() if paper == "letter"} == {
        "BZ", "CA", "CR", "SV", "GT", "MX", "NI", "PA", "US"}


def test_translated_agenda_times_must_match_source(project_copy):
    project = project_copy("shipped")
    agenda = project / "content" / "es" / "agenda.yaml"
    agenda.write_text(agenda.read_text().replace('end: "09:45"', 'end: "09:50"', 1))
    _, problems = load_and_check(Settings(content=project / "content"))
    assert any("es/agenda.yaml" in p.path and "times are not translated" in p.message
               for p in problems.errors), problems.errors
