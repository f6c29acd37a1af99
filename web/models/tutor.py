"""A volunteer's profile: where they are, what they offer, when they are free."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from web.extensions import db
from web.models.common import ALL_SLOTS_MASK, GENDERS, LEVELS, in_set, utcnow
from web.models.place import Place

if TYPE_CHECKING:
    from web.models.user import User

TUTOR_STATUSES = ("pending", "active", "paused", "withdrawn", "declined")


class TutorProfile(db.Model):
    """One per tutor account; proposed only when active and vetted."""

    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 3", name="capacity"),
        CheckConstraint("open_matches >= 0 AND open_matches <= capacity", name="open_matches"),
        CheckConstraint("max_travel_km BETWEEN 0 AND 200", name="max_travel_km"),
        CheckConstraint(f"availability BETWEEN 0 AND {ALL_SLOTS_MASK}", name="availability"),
        CheckConstraint(in_set("status", TUTOR_STATUSES), name="status"),
        CheckConstraint(in_set("gender", GENDERS, nullable=True), name="gender"),
        Index("ix_tutor_profile_territory_status", "territory_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    # Derived from the place's province; kept as a column so scoping queries use an index.
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    max_travel_km: Mapped[int] = mapped_column(default=15)
    remote_ok: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int] = mapped_column(default=1)
    # Approved or active matches; a conditional UPDATE keeps it <= capacity under concurrency.
    open_matches: Mapped[int] = mapped_column(default=0)
    availability: Mapped[int] = mapped_column(default=0)  # bit i = matching.SLOTS[i]
    interests: Mapped[str] = mapped_column(Text, default="")
    motivation: Mapped[str] = mapped_column(Text, default="")
    gender: Mapped[str | None] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    training_completed_on: Mapped[date | None]
    background_check_on: Mapped[date | None]
    background_check_expires_on: Mapped[date | None]
    vetted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    vetted_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(20), default="")
    consent_at: Mapped[datetime | None]
    profile_completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="tutor_profile", foreign_keys=[user_id])
    place: Mapped[Place | None] = relationship()
    skills: Mapped[list[TutorSkill]] = relationship(
        cascade="all, delete-orphan", order_by="TutorSkill.skill_code"
    )
    languages: Mapped[list[TutorLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="TutorLanguage.lang"
    )

    @property
    def free_slots(self) -> int:
        return max(self.capacity - self.open_matches, 0)


class TutorSkill(db.Model):
    """A skill (taxonomy code) a tutor offers."""

    tutor_id: Mapped[int] = mapped_column(
        ForeignKey("tutor_profile.id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class TutorLanguage(db.Model):
    """A language a tutor speaks, with its CEFR level."""

    __table_args__ = (CheckConstraint(in_set("level", LEVELS), name="level"),)

    tutor_id: Mapped[int] = mapped_column(
        ForeignKey("tutor_profile.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[str] = mapped_column(String(6))
