"""Letters and certificates as a protocol office issues them: salutations per language from
the registration's title, paragraphs true for each delegate, reference and date of issue kept
across builds, signatory, certificates' place, date and verification code."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pikepdf
import pytest
import segno
from click.testing import CliRunner
from docx import Document

from kitbuilder.delegates.design import salutation, salutation_values
from kitbuilder.delegates.registrations import Delegate
from kitbuilder.delegates.texts import load_texts
from kitbuilder.delegates.titles import canonical
from kitbuilder.errors import Problems
from kitbuilder.locale import cldr_locale
from tests.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
SCAFFOLD = ROOT / "src" / "kitbuilder" / "scaffold"
HYBRID = ROOT / "examples" / "hybrid-workshop"


class _Design:
    """What salutation() reads of a design: the texts, the locale, the meeting."""

    def __init__(self, lang: str, texts) -> None:
        from kitbuilder.delegates.design import Design

        self.texts, self.locale = texts, cldr_locale(lang)
        self.meeting = {"format": "hybrid"}
        self.message = lambda text, participation="in-person", **more: Design.message(
            self, text, participation, **more)
        self.participation = lambda registered: Design.participation(self, registered)


@pytest.fixture(scope="module")
def designs(tmp_path_factory):
    """The texts `kitbuilder new` writes for each language, as a project would hold them."""
    content = tmp_path_factory.mktemp("content")
    result = {}
    for lang in ("en", "es", "fr", "pt"):
        (content / lang).mkdir()
        shutil.copy(SCAFFOLD / f"delegates-{lang}.yaml", content / lang / "delegates.yaml")
        texts = load_texts(content, lang, Problems())
        assert texts is not None, lang
        result[lang] = _Design(lang, texts)
    return result


def person(title: str, given: str, family: str, form: str = "") -> Delegate:
    return Delegate(1, given, family, title, "", "", "MX", "es", "x@example.org", "registered",
                    "in-person", form)


SALUTATIONS = [
    # lang, registered title, given, family, form_of_address, salutation, honorific
    ("es", "Ms", "Ana María", "García López", "", "Estimada Sra. García López:", "Sra."),
    ("es", "Sra.", "Ana María", "García López", "", "Estimada Sra. García López:", "Sra."),
    ("es", "Mr", "José Ángel", "Núñez Peña", "", "Estimado Sr. Núñez Peña:", "Sr."),
    ("es", "Dra.", "Lucía", "Paz", "", "Estimada Dra. Paz:", "Dra."),
    ("es", "Dr", "Alex", "Paz", "", "A la atención de Alex Paz:", ""),
    ("es", "H.E. Mr", "Luis", "Vega", "", "Excelentísimo Señor:", "Excmo. Sr."),
    ("es", "S.E. la Ministra", "Rosa", "Mora", "", "Excelentísima Señora:", "Excma. Sra."),
    ("es", "Ministra", "Rosa", "Mora", "", "Excelentísima Señora Ministra:", "Excma. Sra."),
    ("es", "", "Kim", "Lee", "", "A la atención de Kim Lee:", ""),
    ("es", "Sra.", "Ana", "Ruiz", "Señora Directora", "Señora Directora:", "Sra."),
    ("en", "Ms", "Ana María", "García López", "", "Dear Ms García López,", "Ms"),
    ("en", "Sra.", "Ana María", "García López", "", "Dear Ms García López,", "Ms"),
    ("en", "Mme", "Chloé", "Lefèvre", "", "Dear Ms Lefèvre,", "Ms"),
    ("en", "Dr.", "Ольга", "Кузнецова", "", "Dear Dr Кузнецова,", "Dr"),
    ("en", "S.E.", "Kwame", "Mensah", "", "Your Excellency,", "H.E."),
    ("en", "", "Kim", "Lee", "", "Dear Kim Lee,", ""),
    ("fr", "Ms", "Chloé", "Lefèvre", "", "Madame,", "Mme"),
    ("fr", "Sr.", "José", "Núñez", "", "Monsieur,", "M."),
    ("fr", "Minister", "Chloé", "Lefèvre", "", "Excellence,", "S.E."),
    ("fr", "Ministra", "Rosa", "Mora", "", "Madame la Ministre,", "S.E. Mme"),
    ("fr", "", "Kim", "Lee", "", "Madame, Monsieur,", ""),
    ("fr", "Dr", "Marie", "Dupont", "Madame la Directrice", "Madame la Directrice,", "Dr"),
    ("pt", "Sra.", "Ana", "Souza", "", "Prezada Sra. Souza,", "Sra."),
    ("pt", "Mr", "João", "Lima", "", "Prezado Sr. Lima,", "Sr."),
    ("pt", "H.E. Ms", "Rosa", "Mora", "", "Excelentíssima Senhora,", "S. Exa. a Sra."),
]


@pytest.mark.parametrize("lang,title,given,family,form,expected,honorific", SALUTATIONS)
def test_salutation_follows_each_languages_protocol(designs, lang, title, given, family, form,
                                                    expected, honorific):
    design = designs[lang]
    who = person(title, given, family, form)
    values = salutation_values(design, who)
    assert values["honorific"] == honorific
    text = salutation(design, who, values)
    assert text == expected
    assert "/" not in text and "(" not in text  # never "Estimada/o", "Prezado(a)"


def test_titles_in_any_language_are_one_title():
    assert canonical("Sra.") == canonical("Mme") == canonical("Ms") == canonical("mrs")
    assert canonical("S.E.") == canonical("H.E.") == canonical("Su Excelencia")
    assert canonical("Ing.") is None  # not known: the registration check says so
    assert canonical("").title == ""


def test_an_unknown_title_is_an_error_with_its_line(tmp_path):
    from kitbuilder.delegates.check import check_delegates
    from kitbuilder.project import ProjectPaths

    source = tmp_path / "r.csv"
    source.write_text("given_name,family_name,title,country,email\n"
                      "Ana,Ruiz,Sra.,MX,ana@example.org\nLuis,Paz,Ing.,MX,luis@example.org\n",
                      encoding="utf-8")
    checked = check_delegates(ProjectPaths.find(ROOT, output=tmp_path / "o"), source)
    errors = [(p.line, p.message) for p in checked.problems.errors]
    assert len(errors) == 1 and errors[0][0] == 3 and "title 'Ing.'" in errors[0][1]


def _build(tmp_path: Path, project: Path, rows: str, *args: str):
    from kitbuilder.cli import main

    source = tmp_path / "r.csv"
    source.write_text("given_name,family_name,title,country,language,email,attendance,"
                      "participation,form_of_address\n" + rows, encoding="utf-8")
    result = CliRunner().invoke(main, ["delegates", "build", str(source), "--project",
                                       str(project), "--output", str(tmp_path / "out"),
                                       "--jobs", "1", *args])
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / "delegates"


ROWS = ("Ana María,García López,Sra.,GT,es,ana@example.org,attended,remote,\n"
        "José,Núñez Peña,Mr,GT,es,jose@example.org,attended,in-person,\n"
        "Tom,Smith,Minister,CA,en,tom@example.org,registered,in-person,\n")


@pytest.mark.slow
def test_letters_say_what_is_true_and_keep_their_reference_and_date(tmp_path):
    folder = _build(tmp_path, HYBRID, ROWS, "--issue-date", "2027-03-12")
    letters = {p.name.split("-")[1]: pdf_text(p) for p in folder.glob("letters/*.pdf")}
    remote, in_person, minister = letters["garcia"], letters["nunez"], letters["smith"]
    assert "Estimada Sra. García López:" in remote and "Ana María García López" in remote
    assert "Estimado Sr. Núñez Peña:" in in_person and "Your Excellency," in minister
    assert "los días 25–29 de marzo de 2027" in remote  # CLDR's interval, grammatical
    assert " el 25–29" not in remote and "Taller sobre" not in remote
    assert "visado" in in_person and "visado" not in remote
    assert "a distancia" in remote and "a distancia" not in in_person.replace(
        "PARTICIPACIÓN\nPresencial", "")
    assert "https://meet.example.org/example-hybrid-2027" in remote
    for text in letters.values():
        assert "Daniel Example Ortega" in text  # a person signs
        assert "EXAMPLE/2027/WS.2/INF.1" not in text  # the kit's symbol is not a reference
    assert "Ciudad de Guatemala, 12 de marzo de 2027" in remote
    assert "Guatemala City, 12 March 2027" in minister
    references = {name: next(line for line in text.splitlines() if "EXAMPLE/2027/WS.2/" in line)
                  for name, text in letters.items()}
    assert len(set(references.values())) == 3
    record = list(csv.DictReader((folder / "letters-issued.csv").open(encoding="utf-8")))
    assert {r["letter_issued"] for r in record} == {"2027-03-12"}
    assert "example.org" not in (folder / "letters-issued.csv").read_text(encoding="utf-8")
    # Rebuilt with a new registrant, after a clean: same references and dates for the others.
    from kitbuilder.clean import clean

    clean(tmp_path / "out")
    assert (folder / "letters-issued.csv").is_file()
    folder = _build(tmp_path, HYBRID, ROWS + "Lee,Park,,CA,en,lee@example.org,registered,"
                    "remote,Dear Colleague\n")
    again = {p.name.split("-")[1]: pdf_text(p) for p in folder.glob("letters/*.pdf")}
    for name, line in references.items():
        assert line in again[name] and "12 de marzo de 2027" in again["garcia"]
    assert "Dear Colleague," in again["park"]
    assert dt.date.today().strftime("%Y") in again["park"].split("Dear")[0]


@pytest.mark.slow
def test_a_virtual_meeting_offers_no_travel_and_certificates_are_issued(tmp_path):
    folder = _build(tmp_path, ROOT, ROWS.replace(",GT,", ",MX,").replace(",CA,", ",CA,"),
                    "--issue-date", "2027-03-12")
    for pdf in folder.glob("letters/*.pdf"):
        text = pdf_text(pdf)
        assert "visa" not in text.lower() and "Presencial" not in text
        assert "Participación" not in text and "Participation" not in text
    # The editable letter says the same.
    docx = next(folder.glob("letters/MX-garcia*.docx"))
    paragraphs = [p.text for p in Document(docx).paragraphs]
    text = "\n".join(paragraphs)
    assert "Estimada Sra. García López:" in paragraphs and "Participación" not in text
    assert "San José, 12 de marzo de 2027" in text and "Ref.: RCM/WGLM/2021/WS.1/0" in text
    assert "se celebra en línea, sin necesidad de viajar" in text and "visado" not in text
    assert "Carmen Rojas Vega" in text
    certificate = next(folder.glob("certificates/MX-garcia*.pdf"))
    text = pdf_text(certificate)
    code = next(r["code"] for r in csv.DictReader(
        (folder / "certificates.csv").open(encoding="utf-8")) if r["family_name"] == "García López")
    assert "San José, 12 de marzo de 2027" in text and code in text
    assert "Carmen Rojas Vega" in text and "Sra. Ana María García López" in text
    with pikepdf.open(certificate) as pdf:
        page = pdf.pages[0]
        rectangles = sum(1 for _, op in pikepdf.parse_content_stream(page) if str(op) == "re")
    # The QR code of this code, drawn as vector squares (one per run of dark modules in a row).
    runs = sum(sum(1 for i, dark in enumerate(row) if dark and (i == 0 or not row[i - 1]))
               for row in segno.make(code, error="m").matrix)
    assert runs > 20 and rectangles >= runs


def test_a_delegates_file_of_an_older_kitbuilder_says_what_to_add(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "delegates.yaml").write_text(
        "signatory: {name: A. Person, title: Secretary}\nplace: Rome\nvirtual: online\n"
        "at: at the\nletter:\n  subject: Invitation\n  salutation: 'Dear {name},'\n"
        "  body: [Welcome.]\n  closing: Yours,\ncertificate:\n  certifies: This certifies\n"
        "  participated: took part.\n", encoding="utf-8")
    problems = Problems()
    assert load_texts(tmp_path, "en", problems) is None
    messages = [p.message for p in problems.errors]
    assert any("missing key 'honorific'" in m for m in messages)
    assert any("older kitbuilder" in m and "delegates-en.yaml" in m for m in messages)


@pytest.mark.parametrize("verify_at,expected", [
    (None, "ABCD-EFGH-IJKL"),
    ("https://example.org/verify?code={code}", "https://example.org/verify?code=ABCD-EFGH-IJKL"),
    ("https://example.org/verify", "https://example.org/verify?code=ABCD-EFGH-IJKL"),
    ("https://example.org/v?lang=es", "https://example.org/v?lang=es&code=ABCD-EFGH-IJKL"),
])
def test_the_qr_code_carries_the_code_or_the_address_that_checks_it(designs, verify_at,
                                                                     expected):
    from kitbuilder.delegates.certificates import verification_target

    design = designs["en"]
    certificate = design.texts.certificate.model_copy(update={"verify_at": verify_at})
    texts = design.texts.model_copy(update={"certificate": certificate})

    probe = type("Probe", (), {"texts": texts})()
    assert verification_target(probe, "ABCD-EFGH-IJKL") == expected
