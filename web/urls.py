"""What a URL may carry: ids and page numbers the database can hold (never a 500)."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.routing import IntegerConverter

MAX_DATABASE_ID = 2**31 - 1  # PostgreSQL INTEGER; SQLite overflows past 2**63 - 1
MAX_PAGE = 100_000


class DatabaseIdConverter(IntegerConverter):
    """An <int:...> path piece no larger than a database id: anything larger is a 404."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(url_map, *args, **kwargs)


def requested_page() -> int:
    """Return the ?page= number, kept between 1 and MAX_PAGE."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)
