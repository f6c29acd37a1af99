"""Territories (provinces), partner organisations and who coordinates where."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from web.extensions import db

coordinator_territories = Table(
    "coordinator_territory",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("territory_id", ForeignKey("territory.id", ondelete="CASCADE"), primary_key=True),
)


class Territory(db.Model):
    """A province where the programme runs, e.g. PR (Parma)."""

    __table_args__ = (
        CheckConstraint("length(code) = 2", name="code_two_letters"),
        CheckConstraint("default_radius_km > 0 AND default_radius_km <= 200", name="radius"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))
    default_radius_km: Mapped[int] = mapped_column(default=25)
    # Per-territory overrides of config/weights.toml (e.g. {"proximity": 0.3}).
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    # The person people reach about this territory (named in its emails, their Reply-To).
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<Territory {self.code}>"


class Organisation(db.Model):
    """A partner organisation of the programme."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territory.id", ondelete="SET NULL"), index=True
    )
