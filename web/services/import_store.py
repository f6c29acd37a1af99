"""Keep an import's checked rows on the server between the preview and the confirmation.

The rows hold personal data, so they live in a private file under instance/imports/,
named by a random token that is bound to the user's session; nothing goes into URLs.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

from flask import current_app, session

from web.services.beneficiaries import BeneficiaryData
from web.services.beneficiary_import import ImportCheck, ImportRow

SESSION_KEY = "import_token"
MAX_AGE_SECONDS = 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _path(token: str) -> Path:
    return _folder() / f"{token}.json"


def discard_stale() -> None:
    """Delete previews older than an hour (abandoned imports)."""
    limit = time.time() - MAX_AGE_SECONDS
    for old in _folder().glob("*.json"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            continue


def save(check: ImportCheck, user_id: int, filename: str) -> str:
    """Store a checked file and bind it to this session; return its token."""
    discard(session.get(SESSION_KEY))
    discard_stale()
    token = secrets.token_urlsafe(24)
    payload = {
        "user_id": user_id,
        "filename": filename,
        "errors": check.errors,
        "bad_lines": sorted(check.bad_lines),
        "rows": [
            {
                "line": row.line,
                "territory_id": row.territory_id,
                "place_label": row.place_label,
                "data": row.data.to_json(),
            }
            for row in check.rows
        ],
    }
    path = _path(token)
    path.write_text(json.dumps(payload), encoding="utf-8")
    path.chmod(0o600)
    session[SESSION_KEY] = token
    return token


def load(token: str | None, user_id: int) -> tuple[ImportCheck, str] | None:
    """Return the stored check if the token is this session's and this user's."""
    if (
        not token
        or token != session.get(SESSION_KEY)
        or not token.replace("-", "").replace("_", "").isalnum()
    ):
        return None
    try:
        payload = json.loads(_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("user_id") != user_id:
        return None
    check = ImportCheck(
        rows=[
            ImportRow(
                item["line"],
                BeneficiaryData.from_json(item["data"]),
                item["territory_id"],
                item["place_label"],
            )
            for item in payload["rows"]
        ],
        errors=payload["errors"],
        bad_lines=set(payload["bad_lines"]),
    )
    return check, payload["filename"]


def discard(token: str | None) -> None:
    """Delete this session's stored preview (after import or cancel); others stay."""
    if not token or token != session.get(SESSION_KEY):
        return
    if token.replace("-", "").replace("_", "").isalnum():
        _path(token).unlink(missing_ok=True)
    session.pop(SESSION_KEY, None)
