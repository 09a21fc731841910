"""Talking to the SMTP server: its options, the password (environment or keyring, never a
file), the checks made before anything is sent, one session that reconnects when the server
drops it, and what a refusal says."""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from ..errors import Problem

PASSWORD_ENV = "KITBUILDER_SMTP_PASSWORD"
KEYRING_SERVICE = "kitbuilder-smtp"


@dataclass(frozen=True)
class SmtpOptions:
    host: str = "localhost"
    port: int = 587
    tls: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str | None = None
    timeout: float = 30.0
    helo: str | None = None


def smtp_password(options: SmtpOptions) -> str | None:
    """From the environment, else the system keyring; never from a file or the command line."""
    if not options.user:
        return None
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    try:
        import keyring  # optional
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, f"{options.user}@{options.host}")
    except Exception:  # noqa: BLE001 - no usable keyring backend: same as no password
        return None


def is_loopback(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def check_smtp(options: SmtpOptions) -> list[Problem]:
    problems = []
    if options.tls not in ("starttls", "ssl", "none"):
        problems.append(Problem("--tls", 0, "error", f"'{options.tls}': use starttls, ssl or none"))
    if options.user and options.tls == "none" and not is_loopback(options.host):
        problems.append(Problem("--tls", 0, "error", "refusing to send a password unencrypted to "
                                f"{options.host}; use --tls starttls or --tls ssl"))
    if options.user and smtp_password(options) is None:
        problems.append(Problem(PASSWORD_ENV, 0, "error", f"no password for {options.user}: set "
                                f"{PASSWORD_ENV} or store it with `keyring set {KEYRING_SERVICE} "
                                f"{options.user}@{options.host}`"))
    return problems


def connect(options: SmtpOptions) -> smtplib.SMTP:
    helo = options.helo or socket.gethostname()  # no DNS lookup (getfqdn would make one)
    if options.tls == "ssl":
        conn = smtplib.SMTP_SSL(options.host, options.port, local_hostname=helo,
                                timeout=options.timeout, context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(options.host, options.port, local_hostname=helo,
                            timeout=options.timeout)
        if options.tls == "starttls":
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
    if options.user:
        conn.login(options.user, smtp_password(options) or "")
    return conn


def smtp_code(exc: Exception) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return max(codes) if codes else None
    return getattr(exc, "smtp_code", None)


def smtp_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error
        return f"{exc.smtp_code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
    return f"{type(exc).__name__}: {exc}"


class ConnectFailed(Exception):
    """The server could not be reached or refused the session: nothing was handed over."""


class SmtpSession:
    """One SMTP connection, reopened when the server drops it."""

    def __init__(self, options: SmtpOptions):
        self.options = options
        self.conn: smtplib.SMTP | None = None

    def send(self, message: EmailMessage, envelope_from: str, to: str) -> None:
        if self.conn is None:
            try:
                self.conn = connect(self.options)
            except smtplib.SMTPAuthenticationError:
                raise
            except (smtplib.SMTPException, OSError) as exc:
                raise ConnectFailed(smtp_reason(exc)) from exc
        try:
            self.conn.send_message(message, from_addr=envelope_from, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused:
            raise  # smtplib has reset the transaction; the connection is fine
        except (smtplib.SMTPServerDisconnected, OSError):
            self.drop()
            raise
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:
                self.drop()
            raise

    def drop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
            self.drop()
