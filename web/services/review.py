"""What the proposals review page shows, and bulk approval."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from config.taxonomy import load_taxonomy
from web.extensions import db
from web.models import Beneficiary, Match, TutorProfile, TutorSkill
from web.services import decisions, reasons
from web.services.decisions import DecisionError

REVIEW_LIMIT = 200  # beneficiaries per page: the longest-waiting first
SEARCH_LIMIT = 20
# A person's proposals as the page lists them: the first is "the proposed tutor".
PROPOSAL_ORDER = (Match.rank, Match.score.desc(), Match.id)


@dataclass
class Option:
    """A tutor proposed for a beneficiary, with score bars and reasons in words."""

    match: Match | None
    tutor: TutorProfile
    score: float
    bars: list[tuple[str, float]]
    sentences: list[str]
    broken: list[str] = field(default_factory=list)


@dataclass
class Card:
    """A waiting beneficiary with the proposed tutor and the alternatives."""

    person: Beneficiary
    choice: Option | None
    alternatives: list[Option]


def bars(components: dict[str, Any] | None) -> list[tuple[str, float]]:
    """Return (label, 0..100 width) for each score component."""
    out = []
    for name, value in (components or {}).items():
        number = float(value) if isinstance(value, int | float) else 0.0
        out.append((reasons.component_label(name), round(min(max(number, 0.0), 1.0) * 100, 1)))
    return out


def option(match: Match) -> Option:
    """Describe a proposed match for the page."""
    return Option(
        match, match.tutor, match.score, bars(match.components), reasons.render_all(match.reasons)
    )


def cards(territory_id: int) -> tuple[list[Card], list[Beneficiary]]:
    """Waiting beneficiaries with proposals (longest wait first), and those without any."""
    people = db.session.scalars(
        select(Beneficiary)
        .where(
            Beneficiary.territory_id == territory_id,
            Beneficiary.status == "waiting",
            Beneficiary.erased_at.is_(None),
        )
        .options(selectinload(Beneficiary.place), selectinload(Beneficiary.needs))
        .order_by(Beneficiary.waiting_since, Beneficiary.id)
        .limit(REVIEW_LIMIT)
    ).all()
    proposed = db.session.scalars(
        select(Match)
        .where(Match.beneficiary_id.in_([p.id for p in people]), Match.status == "proposed")
        .options(selectinload(Match.tutor).selectinload(TutorProfile.place))
        .order_by(Match.beneficiary_id, *PROPOSAL_ORDER)
    ).all()
    by_person: dict[int, list[Match]] = {}
    for match in proposed:
        by_person.setdefault(match.beneficiary_id, []).append(match)
    result, without = [], []
    for person in people:
        matches = by_person.get(person.id)
        if not matches:
            without.append(person)
            continue
        options = [option(m) for m in matches]
        result.append(Card(person, options[0], options[1:]))
    return result, without


def is_alternative(match: Match) -> bool:
    """Tell whether a proposal is listed as an alternative, not as the person's proposed tutor."""
    first = db.session.scalar(
        select(Match.id)
        .where(Match.beneficiary_id == match.beneficiary_id, Match.status == "proposed")
        .order_by(*PROPOSAL_ORDER)
        .limit(1)
    )
    return match.status == "proposed" and first is not None and first != match.id


def approve_many(territory_id: int, match_ids: list[int], actor_id: int) -> tuple[int, list[str]]:
    """Approve several proposals of one territory, each in its own transaction."""
    approved, problems = 0, []
    for match_id in dict.fromkeys(match_ids):
        match = db.session.get(Match, match_id)
        if match is None or match.beneficiary.territory_id != territory_id:
            problems.append(_("Proposal %(id)s is not in this territory.", id=match_id))
            continue
        try:
            decisions.approve(match, actor_id)
        except DecisionError as exc:
            problems.append(f"{match.beneficiary.code}: {exc}")
        else:
            approved += 1
    return approved, problems


def search_tutors(territory_id: int, query: str) -> list[TutorProfile]:
    """Active tutors of the territory whose name or skill matches the query."""
    needle = query.casefold()
    codes = [
        skill.code
        for skill in load_taxonomy().skills.values()
        if needle in skill.code
        or any(needle in label.casefold() for label in skill.labels.values())
    ]
    skilled = select(TutorSkill.tutor_id).where(TutorSkill.skill_code.in_(codes))
    return list(
        db.session.scalars(
            select(TutorProfile)
            .where(
                TutorProfile.territory_id == territory_id,
                TutorProfile.status == "active",
                TutorProfile.display_name.icontains(query, autoescape=True)
                | TutorProfile.id.in_(skilled),
            )
            .options(
                selectinload(TutorProfile.place),
                selectinload(TutorProfile.skills),
                selectinload(TutorProfile.languages),
            )
            .order_by(TutorProfile.display_name, TutorProfile.id)
            .limit(SEARCH_LIMIT)
        )
    )


def manual_candidates(person: Beneficiary, query: str) -> list[Option]:
    """Tutors matching the search, each with the engine's score and broken constraints."""
    out = []
    for profile in search_tutors(person.territory_id, query):
        evaluation = decisions.evaluate(person, profile)
        if evaluation is None:
            out.append(
                Option(
                    None,
                    profile,
                    0.0,
                    [],
                    [],
                    [_("no municipality recorded: the pair cannot be scored")],
                )
            )
            continue
        out.append(
            Option(
                None,
                profile,
                evaluation.score,
                bars(dict(evaluation.components)),
                reasons.render_all(evaluation.reasons),
                reasons.render_all(evaluation.broken),
            )
        )
    out.sort(key=lambda o: (bool(o.broken), -o.score))
    return out
