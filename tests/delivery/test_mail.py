"""kitbuilder mail against a real SMTP server on 127.0.0.1 (aiosmtpd, started by the tests)."""

from __future__ import annotations

import json
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

from kitbuilder.delivery.mail import LEDGER, SendOptions, SmtpOptions, dry_run, prepare, send_all
from kitbuilder.report import Reporter
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

FAST = SendOptions(rate=0, retries=3, backoff=0.01)
WORDS = {"en": "kit for", "es": "documentos para"}


def smtp(server) -> SmtpOptions:
    return SmtpOptions(host="127.0.0.1", port=server.port, tls="none", timeout=10)


def send(built_kits, recipients_file, server, options=FAST, reporter=None):
    book, outgoing = prepare(ROOT / "content", built_kits, recipients_file)
    reporter = reporter or Reporter()
    result = send_all(outgoing, book, built_kits / "mail", smtp(server), options, reporter)
    return book, result, reporter


def check_message(message, person, output: Path):
    assert message["Content-Language"] == person.language
    assert WORDS[person.language] in message["Subject"]
    assert person.email in message["To"]
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert person.name in plain and person.name in html
    assert f'lang="{person.language}"' in html
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    stem = f"rcm-wglm-2021-ws1-{person.country.lower()}-{person.language}"
    assert sorted(attachments) == sorted(f"{stem}.{fmt}" for fmt in ("pdf", "docx", "ics"))
    types = {name.rsplit(".", 1)[1]: part.get_content_type() for name, part in attachments.items()}
    assert types == {"pdf": "application/pdf", "ics": "text/calendar",
                     "docx": "application/vnd.openxmlformats-officedocument"
                             ".wordprocessingml.document"}
    for name, part in attachments.items():
        on_disk = output / person.country.lower() / person.language / name
        assert part.get_content() == on_disk.read_bytes() or \
            part.get_payload(decode=True) == on_disk.read_bytes()


def test_dry_run_writes_one_eml_per_recipient_and_sends_nothing(built_kits, recipients_file,
                                                               smtp_server):
    book, outgoing = prepare(ROOT / "content", built_kits, recipients_file)
    result = dry_run(outgoing, built_kits / "mail", Reporter())
    assert len(result.written) == len(book.people) == 13
    assert smtp_server.messages == []
    assert not (built_kits / "mail" / LEDGER).exists()
    for person, path in zip(book.people, result.written, strict=True):
        message = BytesParser(policy=policy.default).parse(path.open("rb"))
        check_message(message, person, built_kits)


def test_every_recipient_gets_exactly_one_message_in_their_language(built_kits, recipients_file,
                                                                    smtp_server):
    book, result, _ = send(built_kits, recipients_file, smtp_server)
    received = smtp_server.by_recipient()
    assert len(result.delivered) == 13 and not result.failed
    assert sorted(received) == sorted(p.email for p in book.people)
    for person in book.people:
        assert len(received[person.email]) == 1
        check_message(received[person.email][0], person, built_kits)
    ledger = [json.loads(line) for line in (built_kits / "mail" / LEDGER).read_text().splitlines()]
    delivered = [r for r in ledger if r["event"] == "delivered"]
    assert len(delivered) == 13
    ids = {r["recipient"]: r["message_id"] for r in delivered}
    assert all(ids[p.email] == received[p.email][0]["Message-ID"] for p in book.people)

    # Re-running sends nothing: all skipped.
    _, again, _ = send(built_kits, recipients_file, smtp_server)
    assert (len(again.delivered), len(again.skipped), len(again.failed)) == (0, 13, 0)
    assert len(smtp_server.messages) == 13


def test_temporary_error_is_retried_then_delivered(built_kits, recipients_file, smtp_server):
    smtp_server.fail_once = {"focal.mx@example.org", "focal.us@example.org"}
    _, result, reporter = send(built_kits, recipients_file, smtp_server)
    retries = [e for e in reporter.of_kind("mail") if e["status"] == "retry"]
    assert sorted(e["recipient"] for e in retries) == ["focal.mx@example.org",
                                                       "focal.us@example.org"]
    assert all(e["note"].startswith("451") for e in retries)
    assert len(result.delivered) == 13 and not result.failed
    assert smtp_server.count("focal.mx@example.org") == 1


def test_permanent_error_is_reported_and_the_batch_continues(built_kits, recipients_file,
                                                             smtp_server):
    smtp_server.reject = {"focal.cr@example.org"}
    _, result, reporter = send(built_kits, recipients_file, smtp_server)
    assert result.failed == ["CR:focal.cr@example.org"]
    assert len(result.delivered) == 12
    failed = [e for e in reporter.of_kind("mail") if e["status"] == "failed"]
    assert failed[0]["note"].startswith("refused: 550")
    assert not [e for e in reporter.of_kind("mail") if e["status"] == "retry"]  # 5xx: no retry
    assert smtp_server.count("focal.cr@example.org") == 0

    smtp_server.reject = set()  # fixed on the server side: the re-run sends only what is missing
    _, again, _ = send(built_kits, recipients_file, smtp_server)
    assert again.delivered == ["CR:focal.cr@example.org"] and len(again.skipped) == 12
    assert all(len(m) == 1 for m in smtp_server.by_recipient().values())
    assert len(smtp_server.messages) == 13


def test_changed_kit_is_resent_only_when_asked(built_kits, recipients_file, smtp_server):
    send(built_kits, recipients_file, smtp_server)
    ics = built_kits / "mx" / "es" / "rcm-wglm-2021-ws1-mx-es.ics"
    ics.write_bytes(ics.read_bytes().replace(b"SEQUENCE:0", b"SEQUENCE:1"))
    _, result, reporter = send(built_kits, recipients_file, smtp_server)
    assert sorted(result.changed) == ["MX:focal.mx@example.org", "MX:labour.mx@example.org"]
    assert not result.delivered and len(result.skipped) == 13
    notes = [e["note"] for e in reporter.of_kind("mail") if e["country"] == "MX"]
    assert all("--resend-changed" in n for n in notes)

    resend = SendOptions(rate=0, retries=0, backoff=0, resend_changed=True)
    _, result, _ = send(built_kits, recipients_file, smtp_server, resend)
    assert sorted(result.delivered) == sorted(result.changed)
    assert smtp_server.count("focal.mx@example.org") == 2
    assert len(smtp_server.messages) == 15


def mail_command(built_kits, recipients_file, port, *extra):
    return [sys.executable, "-m", "kitbuilder.cli", "mail", "--send",
            "--content", str(ROOT / "content"), "--output", str(built_kits),
            "--recipients", str(recipients_file), "--host", "127.0.0.1", "--port", str(port),
            "--tls", "none", "--ledger", str(built_kits / "mail" / LEDGER), *extra]


def delivered_count(ledger: Path) -> int:
    if not ledger.is_file():
        return 0
    return ledger.read_text(encoding="utf-8").count('"event": "delivered"')


def test_killed_mid_batch_then_rerun_delivers_each_exactly_once(built_kits, recipients_file,
                                                               smtp_server, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITBUILDER_SMTP")}
    process = subprocess.Popen(mail_command(built_kits, recipients_file, smtp_server.port,
                                            "--rate", "150"),  # one message every 0.4 s
                               env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    # Kill once the ledger has four deliveries: wherever the sender is then (between two
    # messages, or in the middle of the next one's SMTP dialogue).
    ledger = built_kits / "mail" / LEDGER
    deadline = time.monotonic() + 60
    while delivered_count(ledger) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    first = len(smtp_server.messages)
    assert 4 <= first < 13, f"the kill did not land mid-batch ({first} messages)"

    rerun = subprocess.run(mail_command(built_kits, recipients_file, smtp_server.port,
                                        "--rate", "0"),
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    received = smtp_server.by_recipient()
    assert len(received) == 13
    assert {address: len(messages) for address, messages in received.items()} == \
        dict.fromkeys(received, 1)
    assert f"Delivered {13 - first}, skipped {first}" in rerun.stderr


def test_kill_while_the_server_accepts_resends_with_the_same_message_id(built_kits,
                                                                       recipients_file,
                                                                       smtp_server, tmp_path):
    """The one window no SMTP client can close (RFC 1047): the server has the message but the
    sender dies before reading the 250. The re-run sends it again with the same Message-ID
    (mail systems drop such duplicates) and says so."""
    smtp_server.delay = 3.0  # the server holds the reply to DATA for 3 s
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITBUILDER_SMTP")}
    process = subprocess.Popen(mail_command(built_kits, recipients_file, smtp_server.port,
                                            "--country", "BZ"),
                               env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    ledger = built_kits / "mail" / LEDGER
    deadline = time.monotonic() + 30
    while (not ledger.is_file() or '"attempt"' not in ledger.read_text()) and \
            time.monotonic() < deadline:
        time.sleep(0.01)
    while smtp_server.count("focal.bz@example.org") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # the server has it; the sender has not read the 250
    process.wait(timeout=10)
    assert smtp_server.count("focal.bz@example.org") == 1
    assert '"delivered"' not in ledger.read_text()
    smtp_server.delay = 0
    rerun = subprocess.run(mail_command(built_kits, recipients_file, smtp_server.port,
                                        "--country", "BZ"),
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert "interrupted" in rerun.stderr
    copies = smtp_server.by_recipient()["focal.bz@example.org"]
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"]


def test_unreachable_server_stops_the_batch_with_an_error(built_kits, recipients_file):
    from kitbuilder.errors import KitError
    from tests.delivery.conftest import free_port

    book, outgoing = prepare(ROOT / "content", built_kits, recipients_file)
    closed = SmtpOptions(host="127.0.0.1", port=free_port(), tls="none", timeout=2)
    reporter = Reporter()
    with pytest.raises(KitError, match="cannot reach the SMTP server"):
        send_all(outgoing, book, built_kits / "mail", closed,
                 SendOptions(rate=0, retries=2, backoff=0.01), reporter)
    events = reporter.of_kind("mail")
    assert [e["status"] for e in events] == ["retry", "retry"]  # first recipient only, then stop


def test_ledger_lives_outside_the_output_folder(built_kits, recipients_file, smtp_server,
                                                tmp_path):
    """Cleaning output/ must not make a re-run mail everyone again."""
    command = [sys.executable, "-m", "kitbuilder.cli", "mail", "--send",
               "--content", str(ROOT / "content"), "--output", str(built_kits),
               "--recipients", str(recipients_file), "--host", "127.0.0.1",
               "--port", str(smtp_server.port), "--tls", "none", "--rate", "0"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITBUILDER_SMTP")}
    elsewhere = tmp_path / "elsewhere"  # the ledger follows the recipients file, not the cwd
    elsewhere.mkdir()
    first = subprocess.run(command, env=env, cwd=elsewhere, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    assert delivered_count(recipients_file.parent / "mail-ledger.jsonl") == 13
    assert not (elsewhere / "mail-ledger.jsonl").exists()
    assert not (built_kits / "mail" / LEDGER).exists()

    shutil.rmtree(built_kits / "mail", ignore_errors=True)  # like `make clean`
    again = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)  # run from another folder: same ledger
    assert again.returncode == 0, again.stderr
    assert "Delivered 0, skipped 13" in again.stderr
    assert len(smtp_server.messages) == 13
