"""A real SMTP server on 127.0.0.1 for the outbox tests (aiosmtpd in a thread): it records the
Message-ID of every mail it accepts, refuses the recipients it is told to refuse (550), and can
hold the Nth mail unanswered, so a test can kill the worker while the mail is in flight."""

import asyncio
import email
import logging
import socket
import threading
from collections import Counter
from contextlib import contextmanager

from aiosmtpd.controller import Controller

# aiosmtpd logs every command at INFO; a test that fails shows enough without them.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Recorder:
    def __init__(self):
        self.refuse: set[str] = set()
        self.accepted: list[tuple[str, tuple[str, ...]]] = []  # (Message-ID, recipients)
        self.hold_at: int | None = None  # hold the mail with this 1-based number of DATA
        self.held = threading.Event()
        self.release = threading.Event()
        self._data = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._data += 1
            number = self._data
        if number == self.hold_at:
            # In flight: no answer until the test releases it, and then a temporary refusal,
            # so the mail counts as not delivered (its sender never heard "250").
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            self.accepted.append((message["Message-ID"], tuple(envelope.rcpt_tos)))
        return "250 OK"

    def message_ids(self) -> Counter:
        with self._lock:
            return Counter(message_id for message_id, _ in self.accepted)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server():
    """(recorder, port) of a running server, stopped afterwards."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield recorder, controller.port
    finally:
        recorder.release.set()
        controller.stop()


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
