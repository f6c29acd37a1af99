"""Export a territory's beneficiaries and matches (audited, never other territories)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from web.extensions import db
from web.models import Beneficiary, Match, User
from web.services import audit
from web.services.display import slots_from_mask
from web.services.scope import restrict, territory_ids
from web.services.spreadsheets import write_csv, write_xlsx

BENEFICIARY_HEADER = (
    "code", "territory", "status", "first_name", "email", "phone", "preferred_language",
    "municipality", "languages", "needs", "availability", "gender", "preferred_tutor_gender",
    "remote_ok", "waiting_since", "consent_version", "consent_at", "closed_at", "close_reason",
)  # fmt: skip
MATCH_HEADER = (
    "beneficiary_code", "territory", "tutor", "status", "score", "manual", "proposed_at",
    "decided_at", "accepted_at", "ended_at", "outcome", "meetings", "hours",
)  # fmt: skip


def _day(value) -> str:
    return value.date().isoformat() if value else ""


def beneficiary_rows(user: User, territory_id: int | None) -> list[tuple]:
    """Rows of the visible beneficiaries (optionally of one territory)."""
    query = restrict(
        select(Beneficiary).where(Beneficiary.erased_at.is_(None)), Beneficiary.territory_id, user
    )
    if territory_id is not None:
        query = query.where(Beneficiary.territory_id == territory_id)
    query = query.options(
        selectinload(Beneficiary.languages),
        selectinload(Beneficiary.needs),
        selectinload(Beneficiary.place),
        selectinload(Beneficiary.territory),
    ).order_by(Beneficiary.territory_id, Beneficiary.seq)
    return [
        (
            b.code,
            b.territory.code,
            b.status,
            b.first_name,
            b.contact_email or "",
            b.contact_phone or "",
            b.preferred_language,
            b.place.label if b.place else "",
            "; ".join(f"{x.lang}:{x.level}{'*' if x.is_first else ''}" for x in b.languages),
            "; ".join(f"{n.skill_code}:{n.priority}" for n in b.needs),
            "; ".join(slots_from_mask(b.availability)),
            b.gender or "",
            b.preferred_tutor_gender or "",
            "yes" if b.remote_ok else "no",
            b.waiting_since.isoformat(),
            b.consent_version,
            _day(b.consent_at),
            _day(b.closed_at),
            b.close_reason or "",
        )
        for b in db.session.scalars(query)
    ]


def match_rows(user: User, territory_id: int | None) -> list[tuple]:
    """Rows of the matches (not superseded proposals) of visible beneficiaries."""
    query = (
        select(Match)
        .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
        .where(Match.status != "superseded")
    )
    query = restrict(query, Beneficiary.territory_id, user)
    if territory_id is not None:
        query = query.where(Beneficiary.territory_id == territory_id)
    query = query.options(
        selectinload(Match.beneficiary).selectinload(Beneficiary.territory),
        selectinload(Match.tutor),
        selectinload(Match.meetings),
    ).order_by(Beneficiary.territory_id, Match.created_at)
    return [
        (
            m.beneficiary.code,
            m.beneficiary.territory.code,
            m.tutor.display_name,
            m.status,
            round(m.score, 3),
            "yes" if m.manual else "no",
            _day(m.created_at),
            _day(m.decided_at),
            _day(m.accepted_at),
            _day(m.ended_at),
            m.outcome or "",
            len(m.meetings),
            round(sum(x.duration_minutes for x in m.meetings) / 60, 1),
        )
        for m in db.session.scalars(query)
    ]


def export_territory(user: User, territory_id: int | None, table: str, file_format: str) -> bytes:
    """Build an export of "beneficiaries" or "matches" and audit it, per territory."""
    header, rows = (
        (MATCH_HEADER, match_rows(user, territory_id))
        if table == "matches"
        else (BENEFICIARY_HEADER, beneficiary_rows(user, territory_id))
    )
    scope = [territory_id] if territory_id is not None else territory_ids(user)
    for scoped_id in scope or [None]:
        audit.record(
            "export",
            "match" if table == "matches" else "beneficiary",
            None,
            territory_id=scoped_id,
            format=file_format,
            rows=len(rows),
        )
    db.session.commit()
    if file_format == "xlsx":
        return write_xlsx([(table, header, rows)])
    return write_csv(header, rows)
