"""Matching runs, the proposals they produce, and the meetings of active matches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from web.extensions import db
from web.models.beneficiary import Beneficiary
from web.models.common import in_set, utcnow
from web.models.territory import Territory
from web.models.tutor import TutorProfile

RUN_STATUSES = ("queued", "running", "done", "failed", "published")
MATCH_STATUSES = ("proposed", "approved", "active", "ended", "rejected", "declined", "superseded")
OPEN_MATCH_STATUSES = ("approved", "active")
# Shared by the partial unique indexes of both dialects.
OPEN_MATCH_WHERE = text("status IN ('approved', 'active')")
PROPOSED_WHERE = text("status = 'proposed'")


class MatchRun(db.Model):
    """One run of the engine over a territory, dry or published."""

    __table_args__ = (
        CheckConstraint(in_set("status", RUN_STATUSES), name="status"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress"),
        Index("ix_match_run_territory_created", "territory_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    dry_run: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    phase: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(default=0.0)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # pairs scored, proposals, total score, coverage, unmatched reasons, seconds per phase ...
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)

    territory: Mapped[Territory] = relationship()


class Match(db.Model):
    """A proposal and, once decided, the match it becomes."""

    __table_args__ = (
        CheckConstraint(in_set("status", MATCH_STATUSES), name="status"),
        CheckConstraint("score >= 0 AND score <= 1", name="score"),
        # At most one open match (approved or active) per beneficiary.
        Index(
            "uq_match_open_beneficiary",
            "beneficiary_id",
            unique=True,
            sqlite_where=OPEN_MATCH_WHERE,
            postgresql_where=OPEN_MATCH_WHERE,
        ),
        # Re-running never duplicates an undecided proposal for the same pair.
        Index(
            "uq_match_proposed_pair",
            "beneficiary_id",
            "tutor_id",
            unique=True,
            sqlite_where=PROPOSED_WHERE,
            postgresql_where=PROPOSED_WHERE,
        ),
        Index("ix_match_tutor_status", "tutor_id", "status"),
        Index("ix_match_beneficiary_status", "beneficiary_id", "status"),
        Index("ix_match_run_rank", "run_id", "rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("match_run.id", ondelete="SET NULL"))
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("beneficiary.id", ondelete="CASCADE"))
    tutor_id: Mapped[int] = mapped_column(ForeignKey("tutor_profile.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(default=0)  # 0 = the engine's choice, 1.. alternatives
    score: Mapped[float] = mapped_column(default=0.0)
    components: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Reason codes with parameters, rendered in the reader's language by the web layer.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    manual: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason_code: Mapped[str | None] = mapped_column(String(40))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    accepted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(40))

    run: Mapped[MatchRun | None] = relationship()
    beneficiary: Mapped[Beneficiary] = relationship()
    tutor: Mapped[TutorProfile] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="Meeting.held_on"
    )


class Meeting(db.Model):
    """A meeting the tutor logged for an active match."""

    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 720", name="duration"),
        Index("ix_meeting_match_held_on", "match_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    duration_minutes: Mapped[int]
    topic: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship(back_populates="meetings")
