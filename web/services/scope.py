"""Least privilege by territory: every query about people goes through these helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from web.extensions import db
from web.models import Territory, User
from web.services import audit

ModelT = TypeVar("ModelT")


def territory_ids(user: User) -> list[int] | None:
    """Return the territory ids a user may see, or None for every territory (admins)."""
    if user.is_admin:
        return None
    if user.is_coordinator:
        return [territory.id for territory in user.territories]
    return []


def visible_territories(user: User) -> list[Territory]:
    """Return the territories a user may work on, by code."""
    query = select(Territory).order_by(Territory.code)
    ids = territory_ids(user)
    if ids is not None:
        query = query.where(Territory.id.in_(ids))
    return list(db.session.scalars(query))


def restrict(query: Select, territory_column: Any, user: User | None = None) -> Select:
    """Limit a query to the rows of the user's territories."""
    ids = territory_ids(user or current_user)
    return query if ids is None else query.where(territory_column.in_(ids))


def can_see_territory(territory_id: int | None, user: User | None = None) -> bool:
    """Tell whether the user may see something in this territory."""
    ids = territory_ids(user or current_user)
    return ids is None or territory_id in ids


def get_in_scope_or_404(
    model: type[ModelT], object_id: int, territory_of: Callable[[ModelT], int | None]
) -> ModelT:
    """Load an object the user may see; otherwise 404, and the attempt is audited."""
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    territory_id = territory_of(found)
    if not can_see_territory(territory_id):
        audit.record("access_denied", model.__tablename__, object_id, territory_id=territory_id)
        db.session.commit()
        abort(404)
    return found


def coordinator_required(view: Callable) -> Callable:
    """Allow coordinators and admins only (others get 403)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not (current_user.is_coordinator or current_user.is_admin):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    """Allow admins only (others get 403)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
