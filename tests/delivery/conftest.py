"""Fixtures for delivery tests: a real SMTP server on 127.0.0.1 and a guard that nothing
leaves the loopback interface."""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
import socket
import threading
from email import policy
from email.parser import BytesParser

import pytest

from tests.conftest import ROOT


def _loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Any connection to a non-loopback address fails the test."""
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
            raise AssertionError(f"test tried to reach {address}: nothing may leave loopback")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


class Mailbox:
    """aiosmtpd handler: records every accepted message; can refuse on demand."""

    def __init__(self):
        self.messages = []  # (envelope recipients, parsed message)
        self.lock = threading.Lock()
        self.fail_once: set[str] = set()  # 451 at RCPT the first time
        self.reject: set[str] = set()  # 550 at RCPT, always
        self.delay = 0.0  # seconds between keeping a message and replying 250

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address in self.fail_once:
            self.fail_once.discard(address)
            return "451 4.3.0 temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), message))
        if self.delay:  # the message is kept, but the 250 reply comes late
            await asyncio.sleep(self.delay)
        return "250 2.0.0 accepted"

    def count(self, address: str) -> int:
        with self.lock:
            return sum(address in rcpts for rcpts, _ in self.messages)

    def by_recipient(self) -> dict[str, list]:
        with self.lock:
            found: dict[str, list] = {}
            for rcpts, message in self.messages:
                for rcpt in rcpts:
                    found.setdefault(rcpt, []).append(message)
            return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_mail(smtputf8: bool = False):
    """An aiosmtpd server on 127.0.0.1 recording into a Mailbox (generator, for fixtures)."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(),
                            enable_SMTPUTF8=smtputf8)
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    yield from serve_mail()


@pytest.fixture
def built_kits(shipped_build, tmp_path):
    """A private copy of the shipped build (kits, calendars, packages, manifest)."""
    output, _ = shipped_build
    copy = tmp_path / "output"
    shutil.copytree(output, copy)
    return copy


@pytest.fixture
def recipients_file(tmp_path):
    target = tmp_path / "recipients.yaml"
    shutil.copy(ROOT / "recipients.example.yaml", target)
    return target
