"""Mailing the kits: one message per recipient, written as .eml (dry run) or sent over SMTP.

Exactly once: the send ledger (``mail-ledger.jsonl``, kept outside the output folder) gets an
``attempt`` record before a message is handed to the server and a ``delivered`` record as soon
as the server accepts it,
each appended and fsynced. A re-run skips every recipient already delivered with the same kit.
A kill between the server's acceptance and the ledger write (a window of a few milliseconds)
leaves an attempt without a delivery: the re-run sends that message again with the *same*
Message-ID, so mail systems that de-duplicate by Message-ID still show it once, and the report
names it.

The server's side (options, password, one reconnecting session) is smtp.py.

Build logic: never prints; everything goes through the Reporter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.policy import default as default_policy
from email.utils import format_datetime
from pathlib import Path

from .. import locale as loc
from ..content.model import Project
from ..engine.artifact import sha256
from ..errors import KitError, Problem, Problems
from ..place_names import FORMS, project_country_forms
from ..placeholders import fill, in_kits, refuse_unwritten
from ..plan import file_name
from ..report import Reporter
from ..settings import Settings
from ..validate import load_and_check
from .recipients import (
    MailText,
    Recipient,
    Recipients,
    load_mail_text,
    load_recipients,
)
from .smtp import (
    ConnectFailed,
    SmtpOptions,
    SmtpSession,
    smtp_code,
    smtp_reason,
)

ATTACHED_FORMATS = ("pdf", "docx", "ics")
MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "ics": ("text", "calendar"),
}
LEDGER = "ledger.jsonl"
OUTBOX = "outbox"


@dataclass(frozen=True)
class Outgoing:
    recipient: Recipient
    message: EmailMessage
    kit_hash: str
    message_id: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class SendOptions:
    rate: float = 30.0  # messages per minute; 0: no limit
    retries: int = 3  # for temporary (4xx) errors and dropped connections
    backoff: float = 2.0  # seconds before the first retry; doubles each time
    resend_changed: bool = False


@dataclass
class MailResult:
    delivered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # kit changed since delivery
    written: list[Path] = field(default_factory=list)  # dry run
    seconds: float = 0.0


# ---------------------------------------------------------------- preparing the messages


def prepare(content: Path, output: Path, recipients_path: Path,
            countries: tuple[str, ...] = (), settings=None) -> tuple[Recipients, list[Outgoing]]:
    """Load and check content, recipients, mail texts and built kits; compose every message.

    ``settings``: the project's resolved folders (layouts, locales), when the caller has them.
    Raises KitError with every problem found.
    """
    project, checked = load_and_check(settings or Settings(content=content))
    if project is None or checked.errors:
        raise KitError(checked.errors or [Problem(str(content), 0, "error",
                                                  "content could not be loaded")])
    problems = Problems()
    recipients = load_recipients(recipients_path, project, problems)
    if recipients is None or problems.errors:
        raise KitError(problems.errors)
    wanted = wanted_countries(project, countries)
    people = [p for p in recipients.people if not wanted or p.country in wanted]
    langs = sorted({p.language for p in people})
    texts: dict[str, MailText | None] = {
        lang: load_mail_text(content, lang, problems) for lang in langs}
    problems.items += refuse_unwritten([*checked.warnings, *problems.warnings],
                                       "the kits or their message",
                                       in_kits(project, content, langs))
    outgoing = []
    for person in people:
        files = []
        for fmt in ATTACHED_FORMATS:
            relative = file_name(project, _country(project, person.country), person.language, fmt)
            if not (Path(output) / relative).is_file():
                problems.error(recipients.path, person.line,
                               f"{person.country}/{person.language}: no built kit "
                               f"{Path(output) / relative}; run `kitbuilder build` first")
            files.append(relative)
        text = texts.get(person.language)
        if text is None or problems.errors:
            continue
        outgoing.append(compose(project, recipients, person, text, Path(output), files))
    if problems.errors:
        raise KitError(problems.errors)
    return recipients, outgoing


def _country(project: Project, code: str):
    return next(c for c in project.countries if c.code == code)


def kit_hash(output: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for relative in files:
        digest.update(f"{Path(relative).name}\0{sha256(output / relative)}\n".encode())
    return digest.hexdigest()


def body_html(text: str, lang: str) -> str:
    """Paragraphs (blank-line separated) → escaped HTML; single newlines become <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    inner = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f"</head>\n<body>\n{inner}\n</body></html>\n")


def wanted_countries(project: Project, countries: tuple[str, ...]) -> set[str]:
    """The --country codes, upper case (empty: every country); any that is not participating
    is a usage error."""
    wanted = {c.upper() for c in countries}
    unknown = sorted(wanted - {c.code for c in project.countries})
    if unknown:
        raise KitError([Problem("--country", 0, "error", f"'{c}' is not a participating country")
                        for c in unknown])
    return wanted


def _address(name: str, email: str) -> Address:
    # From its parts: parsing an addr_spec refuses a non-ASCII local part even under SMTPUTF8.
    local, domain = email.rsplit("@", 1)
    return Address(name, username=local, domain=domain)


def compose(project: Project, recipients: Recipients, person: Recipient, text: MailText,
            output: Path, files: list[str]) -> Outgoing:
    locale = loc.cldr_locale(project.workshop.cldr_tag(person.language))
    workshop, _ = project.document(person.language, "workshop")
    country = loc.country_name(person.country, locale)
    forms = project_country_forms(project, person.country, person.language, country)
    values = {
        "name": person.name,
        "role": person.role,
        "country": country,
        # A language without the forms gets the bare name: the text may still use them.
        **{f"country_{form}": forms[form] or country for form in FORMS},
        "workshop": workshop.title,
        "conference": workshop.conference,
        "conference_short": workshop.conference_short,
        "kind": workshop.kind,
        "date": loc.long_date(project.workshop.date, locale),
        "sender": recipients.sender.name,
    }
    digest = kit_hash(output, files)
    message = mail_message(recipients, (person.name, person.email), person.language, text,
                           values, output, files, kind="kit", country=person.country,
                           key=person.key, digest=digest)
    message["X-Kitbuilder-Kit"] = f"{person.country}/{person.language} sha256:{digest}"
    return Outgoing(person, message, digest, message["Message-ID"], tuple(files))


def mail_message(recipients: Recipients, to: tuple[str, str], language: str, text: MailText,
                 values: dict, output: Path, files: list[str], kind: str, country: str,
                 key: str, digest: str) -> EmailMessage:
    """One message with its attachments: a kit to a focal point, or a delegate's document."""
    domain = recipients.sender.email.rsplit("@", 1)[1]
    who = hashlib.sha256(key.encode()).hexdigest()[:12]
    # Deterministic: the same files to the same person always have the same Message-ID.
    # Short enough never to be folded onto a second header line.
    message_id = f"<{kind}.{country.lower()}.{who}.{digest[:16]}@{domain}>"

    addresses = [recipients.sender.email, to[1], recipients.sender.reply_to or ""]
    # A non-ASCII mailbox name (josé@…) is written as UTF-8, as RFC 6531 has it; smtplib then
    # asks for SMTPUTF8, and a server without it refuses this one message, clearly.
    international = not all(a.isascii() for a in addresses)
    message = EmailMessage(policy=SMTPUTF8 if international else default_policy)
    message["From"] = _address(recipients.sender.name, recipients.sender.email)
    message["To"] = _address(*to)
    if recipients.sender.reply_to:
        message["Reply-To"] = recipients.sender.reply_to
    message["Subject"] = " ".join(fill(text.subject, values).split())
    message["Message-ID"] = message_id
    body = fill(text.body, values).strip() + "\n"
    message.set_content(body, subtype="plain", charset="utf-8")
    message.add_alternative(body_html(body, language), subtype="html", charset="utf-8")
    for relative in files:
        maintype, subtype = MIME_TYPES[relative.rsplit(".", 1)[1]]
        message.add_attachment((output / relative).read_bytes(), maintype=maintype,
                               subtype=subtype, filename=Path(relative).name)
    message["Content-Language"] = language  # after set_content, which clears Content-*
    return message


# ---------------------------------------------------------------- dry run


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def eml_name(person: Recipient) -> str:
    return f"{person.country.lower()}-{person.language}-{slug(person.email)}.eml"


def dry_run(outgoing: Iterable[Outgoing], mail_dir: Path, reporter: Reporter,
            ledger_path: Path | None = None) -> MailResult:
    """Write every message as an .eml file under ``mail_dir/outbox``; send nothing."""
    started = time.perf_counter()
    result = MailResult()
    outbox = Path(mail_dir) / OUTBOX
    shutil.rmtree(outbox, ignore_errors=True)  # only this run's messages, none stale
    outbox.mkdir(parents=True)
    ledger = Ledger(ledger_path or Path(mail_dir) / LEDGER)
    for out in outgoing:
        if "Date" not in out.message:
            out.message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        path = outbox / eml_name(out.recipient)
        path.write_bytes(out.message.as_bytes())
        result.written.append(path)
        state = ledger.state(out.recipient.key)
        would = ("already delivered" if state.delivered_hash == out.kit_hash else
                 "kit changed since delivery" if state.delivered_hash else "would send")
        reporter.emit("mail", status="written", **_who(out), path=str(path), note=would,
                      size=path.stat().st_size)
    result.seconds = time.perf_counter() - started
    return result


# ---------------------------------------------------------------- the ledger


@dataclass
class LedgerState:
    delivered_hash: str | None = None
    delivered_at: str | None = None
    pending_id: str | None = None  # an attempt with no delivery after it


class Ledger:
    """Append-only JSON lines; each record fsynced before the next step."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.states: dict[str, LedgerState] = {}
        self._handle = None
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash: its step did not complete
                self._apply(record)

    def _apply(self, record: dict) -> None:
        state = self.states.setdefault(record.get("key", ""), LedgerState())
        if record.get("event") == "attempt":
            state.pending_id = record.get("message_id")
        elif record.get("event") == "delivered":
            state.delivered_hash = record.get("kit")
            state.delivered_at = record.get("time")
            state.pending_id = None
        elif record.get("event") == "failed":
            state.pending_id = None

    def state(self, key: str) -> LedgerState:
        return self.states.get(key, LedgerState())

    def append(self, event: str, out: Outgoing, **extra) -> None:
        record = {
            "event": event,
            "key": out.recipient.key,
            "country": out.recipient.country,
            "recipient": out.recipient.email,
            "language": out.recipient.language,
            "kit": out.kit_hash,
            "message_id": out.message_id,
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **extra,
        }
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_file() and self.path.stat().st_size:
                with self.path.open("rb") as existing:
                    existing.seek(-1, os.SEEK_END)
                    cut_short = existing.read(1) != b"\n"
            else:
                cut_short = False
            self._handle = self.path.open("a", encoding="utf-8")
            if cut_short:  # a crash cut the last record: keep the next one on its own line
                self._handle.write("\n")
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._apply(record)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


# ---------------------------------------------------------------- sending


def _who(out: Outgoing) -> dict:
    person = out.recipient
    return {"country": person.country, "recipient": person.email, "language": person.language,
            "message_id": out.message_id}


def send_all(outgoing: Iterable[Outgoing], recipients: Recipients, mail_dir: Path,
             smtp: SmtpOptions, options: SendOptions, reporter: Reporter,
             sleep=time.sleep, ledger_path: Path | None = None) -> MailResult:
    """Deliver every message not yet in the ledger; the batch goes on past failures."""
    started = time.perf_counter()
    result = MailResult()
    ledger = Ledger(ledger_path or Path(mail_dir) / LEDGER)
    sender = SmtpSession(smtp)
    interval = 60.0 / options.rate if options.rate else 0.0
    last_send = None
    try:
        for out in outgoing:
            key = out.recipient.key
            state = ledger.state(key)
            note = ""
            if state.delivered_hash == out.kit_hash:
                result.skipped.append(key)
                reporter.emit("mail", status="skipped", **_who(out),
                              note=f"already delivered {state.delivered_at}")
                continue
            if state.delivered_hash:
                result.changed.append(key)
                if not options.resend_changed:
                    result.skipped.append(key)
                    reporter.emit("mail", status="skipped", **_who(out),
                                  note=f"kit changed since delivery {state.delivered_at}; "
                                       "re-send with --resend-changed")
                    continue
                note = f"kit changed since delivery {state.delivered_at}: re-sent"
            elif state.pending_id:
                note = "an earlier attempt was interrupted: sent again with the same Message-ID"
            if last_send is not None and interval:
                wait = last_send + interval - time.monotonic()
                if wait > 0:
                    sleep(wait)
            last_send = time.monotonic()
            _deliver(out, recipients, sender, ledger, options, reporter, result, note, sleep)
    finally:
        sender.close()
        ledger.close()
    result.seconds = time.perf_counter() - started
    return result


def _deliver(out: Outgoing, recipients: Recipients, sender: SmtpSession, ledger: Ledger,
             options: SendOptions, reporter: Reporter, result: MailResult, note: str,
             sleep) -> None:
    key = out.recipient.key

    def back_off(reason: str) -> None:
        """Wait before the next attempt: backoff, then doubled for each further retry."""
        delay = options.backoff * (2 ** attempt)
        reporter.emit("mail", status="retry", **_who(out), note=reason, attempt=attempt + 1,
                      wait=delay)
        sleep(delay)

    for attempt in range(options.retries + 1):
        if "Date" in out.message:
            del out.message["Date"]
        out.message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        ledger.append("attempt", out)
        try:
            sender.send(out.message, recipients.sender.email, out.recipient.email)
        except smtplib.SMTPAuthenticationError as exc:
            ledger.append("failed", out, reason=smtp_reason(exc))
            raise KitError([Problem(sender.options.host, 0, "error",
                                    f"SMTP login refused: {smtp_reason(exc)}")]) from None
        except ConnectFailed as exc:
            if attempt < options.retries:
                back_off(str(exc))
                continue
            ledger.append("failed", out, reason=str(exc))
            raise KitError([Problem(f"{sender.options.host}:{sender.options.port}", 0, "error",
                                    f"cannot reach the SMTP server ({exc}); stopped, the ledger "
                                    "is intact: re-run when the server is reachable")]) from None
        except (smtplib.SMTPException, OSError) as exc:
            code = smtp_code(exc)
            temporary = ((code is None or 400 <= code < 500)
                         and not isinstance(exc, smtplib.SMTPNotSupportedError))
            if temporary and attempt < options.retries:
                back_off(smtp_reason(exc))
                continue
            ledger.append("failed", out, reason=smtp_reason(exc))
            result.failed.append(key)
            reporter.emit("mail", status="failed", **_who(out),
                          note=("temporary error, retries exhausted: " if temporary else
                                "refused: ") + smtp_reason(exc))
            return
        ledger.append("delivered", out)
        result.delivered.append(key)
        reporter.emit("mail", status="delivered", **_who(out), note=note)
        return
