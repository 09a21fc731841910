"""Recipients and mail texts: header injection, internationalised addresses, format specs."""

from __future__ import annotations

import pytest

from kitbuilder.delivery.mail import SendOptions, SmtpOptions, prepare, send_all
from kitbuilder.delivery.recipients import load_mail_text, load_recipients
from kitbuilder.errors import Problems
from kitbuilder.placeholders import fill
from kitbuilder.report import Reporter
from tests.conftest import ROOT
from tests.delivery.conftest import serve_mail
from tests.hostile.conftest import loaded

SENDER = "sender:\n  name: Secretariat\n  email: secretariat@example.org\n"


def recipients(minimal, tmp_path, entries: str) -> list[str]:
    path = tmp_path / "recipients.yaml"
    path.write_text(SENDER + "countries:\n  CA:\n" + entries, encoding="utf-8")
    project, _ = loaded(minimal)
    problems = Problems()
    load_recipients(path, project, problems)
    return [str(p) for p in problems.errors]


def test_a_name_with_a_line_break_and_bcc_is_refused_at_its_line(minimal, tmp_path):
    found = recipients(minimal, tmp_path, (
        "    - name: Alex Example\n      email: alex@example.org\n      language: en\n"
        '    - name: "Eve Example\\r\\nBcc: all@example.org"\n      email: eve@example.org\n'
        "      language: en\n"))
    assert found == [
        f"{tmp_path}/recipients.yaml:9: error: name: contains a line break or control "
        "character (U+000D); write the name on one line, with letters, spaces and punctuation "
        "only"]


def test_internationalised_addresses_are_accepted_with_an_ascii_domain(minimal, tmp_path):
    path = tmp_path / "recipients.yaml"
    path.write_text(SENDER + "countries:\n  CA:\n"
                    "    - name: José Ejemplo\n      email: josé@bücher.example\n"
                    "      language: en\n"
                    "    - name: Ana Ejemplo\n      email: ana@BÜCHER.example\n"
                    "      language: en\n", encoding="utf-8")
    project, _ = loaded(minimal)
    problems = Problems()
    book = load_recipients(path, project, problems)
    assert problems.items == []
    assert [p.email for p in book.people] == ["josé@xn--bcher-kva.example",
                                              "ana@xn--bcher-kva.example"]


def mail_errors(minimal, text: str) -> list[str]:
    (minimal / "en/mail.yaml").write_text(text, encoding="utf-8")
    problems = Problems()
    load_mail_text(minimal, "en", problems)
    return [str(p) for p in problems.errors]


def test_format_specs_and_conversions_are_refused_at_their_line(minimal):
    found = mail_errors(minimal, "subject: 'Kit {name:>2000000000}'\nbody: |\n  Dear {name!z},\n"
                                 "  {country.__class__}\n")
    path = minimal / "en/mail.yaml"
    assert found == [
        f"{path}:1: error: subject: {{name:>2000000000}} has a format spec or conversion; "
        "placeholders take none: write {name}",
        f"{path}:2: error: body: {{name!z}} has a format spec or conversion; placeholders "
        "take none: write {name}",
        f"{path}:2: error: body: unknown placeholder {{country.__class__}}; use {{name}}, "
        "{role}, {country}, {country_in}, {country_of}, {country_from}, {workshop}, "
        "{conference}, {conference_short}, {kind}, {date}, {sender}",
    ]


def test_mail_yaml_alias_bomb_is_refused(minimal):
    found = mail_errors(minimal, "subject: &s x\nbody: *s\n")
    assert found == [
        f"{minimal}/en/mail.yaml:1: error: YAML anchors and aliases (&name, *name) are not "
        "allowed in content files; write each value out in full"]


def test_fill_never_interprets_a_spec():
    assert fill("{name}, {{literal}}", {"name": "Ana"}) == "Ana, {literal}"


@pytest.fixture
def utf8_server():
    yield from serve_mail(smtputf8=True)


@pytest.fixture
def ascii_server():
    yield from serve_mail(smtputf8=False)


def _with_international_recipient(recipients_file):
    text = recipients_file.read_text(encoding="utf-8")
    recipients_file.write_text(text.replace("email: focal.ca@example.org",
                                            "email: josé@bücher.example"), encoding="utf-8")


def _send(built_kits, recipients_file, port):
    book, outgoing = prepare(ROOT / "content", built_kits, recipients_file, ("CA",))
    reporter = Reporter()
    result = send_all(outgoing, book, built_kits / "mail",
                      SmtpOptions(host="127.0.0.1", port=port, tls="none", timeout=10),
                      SendOptions(rate=0, retries=1, backoff=0.01), reporter)
    return result, reporter


@pytest.mark.slow
def test_internationalised_address_is_sent_with_smtputf8(built_kits, recipients_file,
                                                         utf8_server):
    _with_international_recipient(recipients_file)
    result, _ = _send(built_kits, recipients_file, utf8_server.port)
    assert result.delivered == ["CA:josé@xn--bcher-kva.example"]
    [(rcpts, message)] = utf8_server.messages
    assert rcpts == ("josé@xn--bcher-kva.example",)
    assert message["To"] == "Jordan Example <josé@xn--bcher-kva.example>"


@pytest.mark.slow
def test_server_without_smtputf8_refuses_that_message_clearly(built_kits, recipients_file,
                                                              ascii_server):
    _with_international_recipient(recipients_file)
    result, reporter = _send(built_kits, recipients_file, ascii_server.port)
    assert result.failed == ["CA:josé@xn--bcher-kva.example"], reporter.events
    [failed] = [e for e in reporter.of_kind("mail") if e["status"] == "failed"]
    assert failed["note"] == (
        "refused: SMTPNotSupportedError: One or more source or delivery addresses require "
        "internationalized email support, but the server does not advertise the required "
        "SMTPUTF8 capability")
    assert ascii_server.messages == []
