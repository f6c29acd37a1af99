"""Fixtures shared by the web tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.smtp_sink import SmtpSink


@pytest.fixture
def smtp_sink(app) -> Iterator[SmtpSink]:
    """A running SMTP sink (aiosmtpd on loopback) the app sends to."""
    sink = SmtpSink()
    sink.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    yield sink
    sink.stop()
