import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import start_worker, stop_worker

SITE_URL = "https://mentorat.example"


@dataclass(frozen=True)
class ReceivedMail:
    """One message the SMTP server accepted, decoded."""

    rcpt_tos: tuple[str, ...]
    to: str
    subject: str
    message_id: str
    text: str
    html: str


class Recorder:
    """An aiosmtpd handler that keeps every message it accepts.

    After ``hold_after`` messages it stops answering DATA, as a slow server
    would: senders wait mid-transfer, their message not accepted, until
    ``release`` (then refused with a temporary error).
    """

    def __init__(self):
        self.messages: list[ReceivedMail] = []
        self.hold_after: int | None = None
        self.held = 0
        self._release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            hold = self.hold_after is not None and len(self.messages) >= self.hold_after
            self.held += hold
        if hold:
            while not self._release.is_set():
                await asyncio.sleep(0.005)
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)

        def part(subtype):
            body = parsed.get_body(preferencelist=(subtype,))
            return body.get_content().replace("\r\n", "\n") if body else ""

        mail = ReceivedMail(
            rcpt_tos=tuple(envelope.rcpt_tos),
            to=str(parsed["To"]),
            # Python folds a non-ASCII subject onto a continuation line
            # ("Subject: \n =?utf-8?q?...?="); unfolded, that leaves a leading
            # space that mail clients drop, and so does this.
            subject=str(parsed["Subject"]).strip(),
            message_id=str(parsed["Message-ID"]),
            text=part("plain"),
            html=part("html"),
        )
        with self._lock:
            self.messages.append(mail)
        return "250 Message accepted for delivery"

    def received(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self.messages)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


class SMTPServer:
    def __init__(self, recorder: Recorder, port: int):
        self.recorder = recorder
        self.port = port
        # What a worker needs in its environment to send here, links to SITE_URL.
        self.worker_env = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "SITE_URL": SITE_URL}

    def received(self) -> list[ReceivedMail]:
        return self.recorder.received()

    def count(self) -> int:
        return self.recorder.count()

    def hold_after(self, count: int) -> None:
        """Accept ``count`` messages, then leave every sender waiting for the answer to DATA."""
        self.recorder.hold_after = count

    def held(self) -> int:
        """How many senders are waiting for the answer to DATA."""
        with self.recorder._lock:
            return self.recorder.held

    def release(self) -> None:
        """Refuse the held messages (temporary error), accept all the next ones."""
        self.recorder.hold_after = None
        self.recorder._release.set()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread) recording what it accepts."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    server = SMTPServer(recorder, controller.port)
    yield server
    server.release()
    controller.stop()


@pytest.fixture
def mail_worker(transactional_db, settings, smtp_server):
    """A real Celery worker (solo pool) that sends its mail to ``smtp_server``."""
    from mentoring.celery import app

    app.control.purge()  # leftovers of earlier tests or runs
    process = start_worker(settings, smtp_server.worker_env)
    yield process
    stop_worker(process)
