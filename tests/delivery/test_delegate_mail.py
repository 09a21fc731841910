"""`kitbuilder mail --document letter|certificate`: each delegate their own document, exactly
once, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from kitbuilder.delegates.build import build_delegates
from kitbuilder.delegates.check import check_delegates
from kitbuilder.delegates.mail import prepare_documents
from kitbuilder.delivery.mail import SendOptions, SmtpOptions, send_all
from kitbuilder.project import ProjectPaths
from kitbuilder.report import Reporter
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

FAST = SendOptions(rate=0, retries=1, backoff=0.01)
EXAMPLE = ROOT / "registrations.example.csv"


@pytest.fixture(scope="module")
def built_documents(tmp_path_factory):
    output = tmp_path_factory.mktemp("delegate-mail") / "output"
    paths = ProjectPaths.find(ROOT, output=output)
    build_delegates(paths, EXAMPLE, ("letter", "certificate"), jobs=2)
    return output


@pytest.fixture
def setup(built_documents, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(built_documents, output)
    recipients = tmp_path / "recipients.yaml"
    shutil.copy(ROOT / "recipients.example.yaml", recipients)
    people = check_delegates(ProjectPaths.find(ROOT), EXAMPLE).registrations.delegates
    return ProjectPaths.find(ROOT, output=output), recipients, people


def smtp(server) -> SmtpOptions:
    return SmtpOptions(host="127.0.0.1", port=server.port, tls="none", timeout=10)


def test_each_attendee_gets_their_own_certificate_once(setup, smtp_server):
    paths, recipients, people = setup
    ledger = recipients.parent / "ledger.jsonl"
    prepared = prepare_documents(paths, EXAMPLE, recipients, "certificate")
    attended = [p for p in people if p.attendance == "attended"]
    assert len(prepared.chosen) == len(attended)
    assert prepared.without_document == len(people) - len(attended)
    result = send_all(prepared.messages(), prepared.sender_book, paths.output / "mail",
                      smtp(smtp_server), FAST, Reporter(), ledger_path=ledger)
    assert len(result.delivered) == len(attended) and not result.failed
    received = smtp_server.by_recipient()
    assert set(received) == {p.email for p in attended}
    for person in attended:
        [message] = received[person.email]
        assert message["Content-Language"] == person.language
        word = "certificado" if person.language == "es" else "certificate"
        assert word in message["Subject"]
        # Greeted by the letter's salutation: "Estimada Sra. García López:", "Dear Ms …,".
        body = message.get_body(("plain",)).get_content()
        assert person.family_name in body and "/" not in body.split("\n")[0]
        [attachment] = list(message.iter_attachments())
        name = f"{person.file_stem}-certificate.pdf"
        assert attachment.get_filename() == name
        assert attachment.get_payload(decode=True) == \
            (paths.output / "delegates" / "certificates" / name).read_bytes()

    again = prepare_documents(paths, EXAMPLE, recipients, "certificate")
    rerun = send_all(again.messages(), again.sender_book, paths.output / "mail",
                     smtp(smtp_server), FAST, Reporter(), ledger_path=ledger)
    assert not rerun.delivered and len(rerun.skipped) == len(attended)
    assert sum(len(m) for m in smtp_server.by_recipient().values()) == len(attended)


def test_a_letter_after_the_certificate_is_a_different_message(setup, smtp_server):
    """The ledger keys documents apart: a delegate mailed a certificate still gets their
    letter, with its PDF and DOCX."""
    paths, recipients, people = setup
    ledger = recipients.parent / "ledger.jsonl"
    for document in ("certificate", "letter"):
        prepared = prepare_documents(paths, EXAMPLE, recipients, document, ("MX",))
        send_all(prepared.messages(), prepared.sender_book, paths.output / "mail",
                 smtp(smtp_server), FAST, Reporter(), ledger_path=ledger)
    mexico = [p for p in people if p.country == "MX"]
    for person in mexico:
        messages = smtp_server.by_recipient()[person.email]
        letters = [m for m in messages if "carta" in m["Subject"]]
        assert len(letters) == 1
        names = sorted(a.get_filename() for a in letters[0].iter_attachments())
        assert names == [f"{person.file_stem}-letter.docx", f"{person.file_stem}-letter.pdf"]
        assert len(messages) == 1 + (person.attendance == "attended")


def command(paths, recipients, port, *extra):
    return [sys.executable, "-m", "kitbuilder.cli", "mail", "--document", "letter",
            "--project", str(ROOT), "--output", str(paths.output), "--recipients",
            str(recipients), "--registrations", str(EXAMPLE), "--host", "127.0.0.1",
            "--port", str(port), "--tls", "none", *extra]


def test_killed_mid_batch_rerun_sends_only_the_rest_and_prints_no_personal_data(
        setup, smtp_server, tmp_path):
    paths, recipients, people = setup
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITBUILDER_SMTP")}
    env["PYTHONPATH"] = str(ROOT / "src")
    ledger = recipients.parent / "mail-ledger.jsonl"
    process = subprocess.Popen(command(paths, recipients, smtp_server.port, "--send",
                                       "--rate", "150"),
                               env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while (not ledger.is_file() or ledger.read_text(encoding="utf-8").count(
            '"event": "delivered"') < 3) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    first = len(smtp_server.messages)
    assert 3 <= first < len(people), f"the kill did not land mid-batch ({first} messages)"

    rerun = subprocess.run(command(paths, recipients, smtp_server.port, "--send", "--rate", "0"),
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    received = smtp_server.by_recipient()
    assert {a: len(m) for a, m in received.items()} == {p.email: 1 for p in people}
    assert f"delivered {len(people) - first}, skipped {first}" in rerun.stderr
    for person in people:  # counts only: no name, no address on the terminal
        assert person.email not in rerun.stderr
        assert person.family_name not in rerun.stderr


def test_dry_run_writes_messages_and_a_missing_document_names_its_row(setup, tmp_path):
    paths, recipients, people = setup
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    dry = subprocess.run(command(paths, recipients, 1), env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    outbox = sorted((paths.output / "mail" / "outbox").glob("*.eml"))
    assert len(outbox) == len(people)
    message = BytesParser(policy=policy.default).parse(outbox[0].open("rb"))
    assert message["X-Kitbuilder-Document"].startswith("letter sha256:")

    victim = people[2]
    (paths.output / "delegates" / "letters" / f"{victim.file_stem}-letter.pdf").unlink()
    missing = subprocess.run(command(paths, recipients, 1), env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1
    assert f"registrations.example.csv:{victim.line}: error: this delegate's letter is not " \
           "built" in missing.stderr
    assert victim.email not in missing.stderr


def test_no_certificate_mail_without_mail_texts(tmp_path):
    """A project whose delegates.yaml has no mail texts is told what to add."""
    from kitbuilder.errors import KitError

    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    for lang in ("en", "es"):
        path = project / "content" / lang / "delegates.yaml"
        path.write_text(path.read_text(encoding="utf-8").split("\nmail:")[0] + "\n",
                        encoding="utf-8")
    shutil.copy(ROOT / "recipients.example.yaml", project / "recipients.yaml")
    paths = ProjectPaths.find(project, output=project / "output")
    with pytest.raises(KitError) as caught:
        prepare_documents(paths, EXAMPLE, project / "recipients.yaml", "certificate")
    assert any("no `mail:` texts" in p.message for p in caught.value.problems)


def test_placeholders_in_mail_texts_are_checked(tmp_path):
    from kitbuilder.delegates.texts import load_texts
    from kitbuilder.errors import Problems

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "en" / "delegates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        ": your letter of invitation\"", ": your letter {nmae}\""), encoding="utf-8")
    problems = Problems()
    assert load_texts(content, "en", problems) is None
    [error] = problems.errors
    assert Path(error.path) == path and "nmae" in error.message
    assert Path(error.path).read_text(encoding="utf-8").splitlines()[error.line - 1] \
        .lstrip().startswith("subject:")
