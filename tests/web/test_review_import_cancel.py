"""Cancelling an import forgets only this session's checked file, never someone else's."""

from __future__ import annotations

from tests import factories
from tests.web.benef_helpers import sign_in
from tests.web.test_import import csv_bytes, token, upload


def test_cancel_with_another_sessions_token_keeps_their_preview(app):
    """Does a coordinator posting another coordinator's token leave that preview in place?"""
    parma = factories.territory()
    first, second = app.test_client(), app.test_client()
    sign_in(first, territories=[parma])
    sign_in(second, territories=[parma])
    assert upload(first, csv_bytes([{}])).status_code == 302
    theirs = token(first)
    second.post("/beneficiaries/import/cancel", data={"token": theirs})
    assert first.get("/beneficiaries/import/preview").status_code == 200
