"""People granted international protection, registered by a coordinator (no login)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from web.extensions import db
from web.models.common import ALL_SLOTS_MASK, GENDERS, LEVELS, in_set, utcnow
from web.models.place import Place
from web.models.territory import Territory

BENEFICIARY_STATUSES = ("waiting", "matched", "closed")


class Beneficiary(db.Model):
    """A beneficiary, known by a pseudonymous code such as PR-0042."""

    __table_args__ = (
        UniqueConstraint("territory_id", "seq", name="uq_beneficiary_territory_seq"),
        CheckConstraint(f"availability BETWEEN 0 AND {ALL_SLOTS_MASK}", name="availability"),
        CheckConstraint(in_set("status", BENEFICIARY_STATUSES), name="status"),
        CheckConstraint(in_set("gender", GENDERS, nullable=True), name="gender"),
        CheckConstraint(
            in_set("preferred_tutor_gender", GENDERS, nullable=True), name="preferred_tutor_gender"
        ),
        Index("ix_beneficiary_territory_status_waiting", "territory_id", "status", "waiting_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    seq: Mapped[int]
    code: Mapped[str] = mapped_column(String(12), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    preferred_language: Mapped[str] = mapped_column(String(8), default="it")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    availability: Mapped[int] = mapped_column(default=0)
    interests: Mapped[str] = mapped_column(Text, default="")
    gender: Mapped[str | None] = mapped_column(String(1))
    preferred_tutor_gender: Mapped[str | None] = mapped_column(String(1))
    remote_ok: Mapped[bool] = mapped_column(default=False)
    waiting_since: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    close_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    consent_collected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str] = mapped_column(String(20), default="")
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    territory: Mapped[Territory] = relationship()
    place: Mapped[Place | None] = relationship()
    needs: Mapped[list[BeneficiaryNeed]] = relationship(
        cascade="all, delete-orphan", order_by="BeneficiaryNeed.skill_code"
    )
    languages: Mapped[list[BeneficiaryLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="BeneficiaryLanguage.lang"
    )


class BeneficiaryNeed(db.Model):
    """A need (taxonomy skill code) with its priority, 3 being the most urgent."""

    __table_args__ = (CheckConstraint("priority BETWEEN 1 AND 3", name="priority"),)

    beneficiary_id: Mapped[int] = mapped_column(
        ForeignKey("beneficiary.id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    priority: Mapped[int] = mapped_column(default=2)


class BeneficiaryLanguage(db.Model):
    """A language a beneficiary speaks, with level; one may be their first language."""

    __table_args__ = (CheckConstraint(in_set("level", LEVELS), name="level"),)

    beneficiary_id: Mapped[int] = mapped_column(
        ForeignKey("beneficiary.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[str] = mapped_column(String(6))
    is_first: Mapped[bool] = mapped_column(default=False)
