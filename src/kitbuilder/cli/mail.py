"""`kitbuilder mail`: the kits, or each delegate's own document."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..delegates.mail import prepare_documents, without_address
from ..delivery.mail import SendOptions, dry_run, prepare, send_all
from ..delivery.smtp import SmtpOptions, check_smtp
from ..errors import KitError, display_path
from ..report import Reporter
from ..settings import Settings
from .options import CONTENT, COUNTRIES, PROJECT, find_paths, registrations_path
from .terminal import print_problems


class MailReporter(Reporter):
    """One line per message of a kits' mail run."""

    def on_event(self, kind: str, detail: dict) -> None:
        if kind != "mail":
            return
        status = detail["status"]
        colour = {"delivered": "green", "failed": "red", "retry": "yellow",
                  "skipped": None, "written": None}.get(status)
        where = f"{detail['country']} {detail['language']} {detail['recipient']}"
        extra = detail.get("note") or ""
        if status == "written":
            extra = f"{detail['path']}  ({detail['note']})"
        elif status == "retry":
            extra = f"{extra}; retry {detail['attempt']} in {detail['wait']:.0f} s"
        click.secho(f"{status:<9} {where}  {extra}".rstrip(), fg=colour, err=True)


@click.command(short_help="Mail each recipient their country's kit.", epilog="""\b
Examples:
  kitbuilder mail                       dry run: .eml files in output/mail/outbox
  kitbuilder mail --send --host smtp.example.org --user secretariat
  kitbuilder mail --send --country MX --resend-changed
  kitbuilder mail --document certificate --send   each attendee their certificate""")
@PROJECT
@CONTENT
@click.option("--output", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Folder with the built kits; messages go to OUTPUT/mail.  "
                   "[default: PROJECT/output]")
@click.option("--recipients", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="The sender and each country's focal points (shape: recipients.example.yaml "
                   "of a new project, or docs/delivery.md).  "
                   "[default: PROJECT/recipients.yaml]")
@COUNTRIES
@click.option("--send", is_flag=True,
              help="Deliver over SMTP. Without it: dry run, .eml files in OUTPUT/mail/outbox.")
@click.option("--host", envvar="KITBUILDER_SMTP_HOST", default="localhost", show_default=True,
              help="SMTP server [env KITBUILDER_SMTP_HOST].")
@click.option("--port", envvar="KITBUILDER_SMTP_PORT", type=click.IntRange(1, 65535),
              default=None, help="SMTP port [env KITBUILDER_SMTP_PORT; default 587, 465 for ssl, "
              "25 for none].")
@click.option("--tls", envvar="KITBUILDER_SMTP_TLS", default="starttls", show_default=True,
              type=click.Choice(["starttls", "ssl", "none"]),
              help="STARTTLS, implicit TLS, or none [env KITBUILDER_SMTP_TLS].")
@click.option("--user", envvar="KITBUILDER_SMTP_USER", default=None,
              help="SMTP login [env KITBUILDER_SMTP_USER]. The password comes only from "
              "KITBUILDER_SMTP_PASSWORD or the system keyring (service kitbuilder-smtp).")
@click.option("--rate", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="At most this many messages per minute (0: no limit).")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Retries after a temporary (4xx) error or a dropped connection.")
@click.option("--backoff", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="Seconds before the first retry; doubled for each further retry.")
@click.option("--resend-changed", is_flag=True,
              help="Also send to recipients whose kit changed since it was delivered.")
@click.option("--ledger", type=click.Path(path_type=Path), default=None,
              help="Record of delivered messages [default: mail-ledger.jsonl beside the "
              "recipients file]. Kept outside OUTPUT so that cleaning or rebuilding the kits "
              "never forgets who was already mailed.")
@click.option("--document", type=click.Choice(["letter", "certificate"]), default=None,
              help="Instead of the kits: each delegate (registrations file) their own letter "
              "of invitation or certificate, built by `kitbuilder delegates build`; the sender "
              "comes from the recipients file.")
@click.option("--registrations", "registrations_file", default=None, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="With --document: the registrations file.  "
                   "[default: PROJECT/registrations.csv or .xlsx]")
def mail(project, content, output, recipients, countries, send, host, port, tls, user, rate,
         retries, backoff, resend_changed, ledger, document, registrations_file) -> None:
    """Mail each recipient their country's kit: a dry run unless --send."""

    if registrations_file is not None and document is None:
        raise click.UsageError("--registrations goes with --document letter|certificate.")

    paths = find_paths(project, content, output)
    output = paths.output
    recipients = Path(recipients) if recipients is not None else paths.root / "recipients.yaml"
    reporter = MailReporter()
    mail_dir = output / "mail"
    # Beside the recipients file, so running from another folder finds the same ledger.
    ledger = ledger or Path(recipients).parent / "mail-ledger.jsonl"
    smtp = SmtpOptions(host=host, port=port or {"ssl": 465, "none": 25}.get(tls, 587),
                       tls=tls, user=user)
    options = SendOptions(rate=rate, retries=retries, backoff=backoff,
                          resend_changed=resend_changed)
    if document is not None:
        _mail_documents(paths, registrations_path(paths, registrations_file), recipients,
                        document, countries, send, ledger, smtp, options)
        return
    try:
        book, outgoing = prepare(paths.content, output, recipients, countries,
                                 settings=Settings.for_project(paths))
        if not send:
            result = dry_run(outgoing, mail_dir, reporter, ledger_path=ledger)
            click.secho(f"Dry run: wrote {len(result.written)} messages to "
                        f"{display_path(mail_dir / 'outbox')} "
                        f"in {result.seconds:.1f} s; nothing was sent. Inspect them, then run "
                        f"again with --send (ledger: {display_path(ledger)}).", fg="green",
                        err=True)
            return
        stop_unless_reachable(check_smtp(smtp))
        result = send_all(outgoing, book, mail_dir, smtp, options, reporter, ledger_path=ledger)
    except KitError as exc:
        stop_on(exc)
    _mail_summary(result, "Delivered", "with a changed kit", resend_changed, ledger)


def stop_unless_reachable(problems) -> None:
    """The SMTP settings cannot work: a usage error, before any message is sent."""
    if problems:
        print_problems(problems)
        sys.exit(2)


def stop_on(exc: KitError) -> None:
    """Print what stopped a mail run; a wrong --country is a usage error (2), the rest 1."""
    print_problems(exc.problems)
    sys.exit(2 if any(p.path == "--country" for p in exc.problems) else 1)


def _mail_summary(result, head: str, changed_what: str, resend_changed: bool, ledger: Path,
                  extra: str = "") -> None:
    """The last line of a mail run (kits or delegates' documents); exit 1 if any failed."""
    changed = (f"; {len(result.changed)} {changed_what}"
               f"{' (re-sent)' if resend_changed else ' (not re-sent: --resend-changed)'}"
               if result.changed else "")
    click.secho(f"{head} {len(result.delivered)}, skipped {len(result.skipped)} (already "
                f"delivered), failed {len(result.failed)}{changed}{extra} in "
                f"{result.seconds:.1f} s. Ledger: {display_path(ledger)}",
                fg="red" if result.failed else "green", err=True)
    if result.failed:
        sys.exit(1)


def _mail_documents(paths, registrations: Path, recipients: Path, document: str, countries,
                    send: bool, ledger: Path, smtp, options) -> None:
    """`mail --document`: delegates' names and addresses never reach the terminal; a failure
    is shown with the delegate's row in the registrations file."""

    mail_dir = paths.output / "mail"
    failures: list[str] = []

    class DocumentReporter(Reporter):
        def on_event(self, kind: str, detail: dict) -> None:
            if kind == "mail" and detail["status"] == "failed":
                row = rows.get(detail["recipient"], 0)
                failures.append(f"{display_path(registrations)}:{row}: error: not delivered: "
                                f"{without_address(detail.get('note') or '', detail['recipient'])}")

    try:
        prepared = prepare_documents(paths, registrations, recipients, document, countries)
        rows = prepared.rows()
        skipped = (f"; {prepared.without_document} without a {document} (not attended)"
                   if prepared.without_document else "")
        if not send:
            result = dry_run(prepared.messages(), mail_dir, DocumentReporter(),
                             ledger_path=ledger)
            click.secho(f"Dry run: wrote {len(result.written)} message(s) with each delegate's "
                        f"{document} to {display_path(mail_dir / 'outbox')}{skipped}; nothing "
                        f"was sent. Inspect them, then run again with --send.", fg="green",
                        err=True)
            return
        stop_unless_reachable(check_smtp(smtp))
        result = send_all(prepared.messages(), prepared.sender_book, mail_dir, smtp, options,
                          DocumentReporter(), ledger_path=ledger)
    except KitError as exc:
        stop_on(exc)
    for line in failures:
        click.secho(line, fg="red", err=True)
    _mail_summary(result, f"{document.capitalize()}s: delivered",
                  f"whose {document} changed since", options.resend_changed, ledger, skipped)
