"""Absolute links for emails, built from PUBLIC_URL and never from a request's Host header.

A forged Host header must not end up in a password-reset email, and emails written by a
worker or the command line have no request at all.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def public_url(endpoint: str, **values: Any) -> str:
    """Return the absolute address of a page, for an email."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_URL"] + path
