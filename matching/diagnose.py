"""Why a pair is impossible, and why a beneficiary stays unmatched (as specific as possible)."""

from __future__ import annotations

from itertools import accumulate

import numpy as np
from sklearn.neighbors import BallTree

from .encode import distance_km, km_to_chord
from .explain import (
    ALL_CANDIDATES_TAKEN,
    DOCUMENT_REQUIRED,
    EXCLUDED_PAIR,
    EXCLUDED_PAIRS,
    GENDER_PREFERENCE_UNMET,
    NO_FREE_SLOT,
    NO_FREE_TUTOR,
    NO_NEED_COVERED,
    NO_SHARED_LANGUAGE,
    NO_TUTOR_WITHIN_REACH,
    ONLY_WEAK_CANDIDATES,
    SCORE_BELOW_MINIMUM,
    TOO_FAR,
    Explainer,
    sorted_needs,
)
from .model import LEVEL_RANK, Beneficiary, Reason, Tutor
from .score import (
    Pairs,
    documents_ok,
    gender_ok,
    in_reach,
    language_ok,
    needs_ok,
    not_excluded,
    usable_skills,
)
from .weights import Weights

STAGES = 8  # reach, free slot, language, gender, documents, needs, not excluded, min score
# The constraint of each stage 1..5, named in `narrowed_by` when it already left some
# tutors out of those a later stage's reason speaks about.
STAGE_CODES = (
    "", NO_FREE_SLOT, NO_SHARED_LANGUAGE, GENDER_PREFERENCE_UNMET, DOCUMENT_REQUIRED,
    NO_NEED_COVERED,
)  # fmt: skip


def stage_tests(ctx: Explainer, pairs: Pairs, excluded_keys: np.ndarray) -> list[np.ndarray]:
    """Each hard constraint on its own, in the documented order (the minimum score is
    tested only where every other constraint holds)."""
    tutors, beneficiaries, weights = ctx.tutors, ctx.beneficiaries, ctx.weights
    reach = in_reach(tutors, beneficiaries, pairs) & (pairs.km <= np.where(
        pairs.remote, weights.remote_max_km, np.inf
    ))  # fmt: skip
    tests = [
        reach,
        tutors.free_slots[pairs.t] > 0,
        language_ok(tutors, beneficiaries, pairs, weights),
        gender_ok(tutors, beneficiaries, pairs.t, pairs.b),
        documents_ok(tutors, beneficiaries, pairs.t, pairs.b),
        needs_ok(beneficiaries, pairs, usable_skills(tutors, ctx.vocab, pairs)),
        not_excluded(pairs, excluded_keys, len(tutors)),
    ]
    rest = np.logical_and.reduce(tests)
    score, _ = ctx.scores(pairs.take(rest))
    rest[rest] = score >= weights.min_score
    tests.append(rest)
    return tests


def pair_violations(
    ctx: Explainer, ti: int, bi: int, excluded_keys: np.ndarray, score: float
) -> tuple[Reason, ...]:
    """Every hard constraint the pair (ti, bi) breaks, as reasons."""
    pairs = ctx.pairs(np.array([ti]), np.array([bi]))
    tutors, beneficiaries, weights = ctx.tutors, ctx.beneficiaries, ctx.weights
    tutor, beneficiary = tutors.records[ti], beneficiaries.records[bi]
    km = round(float(pairs.km[0]), 1)
    broken: list[Reason] = []
    both_remote = tutor.remote_ok and beneficiary.remote_ok
    if pairs.remote[0] and (not both_remote or km > weights.remote_max_km):
        params: dict[str, object] = {"km": km, "max_km": tutor.max_km}
        if both_remote:
            params["remote_max_km"] = weights.remote_max_km
        broken.append(Reason(TOO_FAR, params))
    if tutor.free_slots <= 0:
        broken.append(Reason(NO_FREE_SLOT, {"capacity": tutor.capacity}))
    if not language_ok(tutors, beneficiaries, pairs, weights)[0]:
        broken.append(
            Reason(
                NO_SHARED_LANGUAGE,
                {
                    "languages": usable_languages(beneficiary, weights),
                    "tutor_languages": usable_languages(tutor, weights),
                    "min_level": weights.min_level,
                    "italian_min_level": weights.italian_min_level,
                },
            )
        )
    if not gender_ok(tutors, beneficiaries, pairs.t, pairs.b)[0]:
        broken.append(
            Reason(
                GENDER_PREFERENCE_UNMET,
                {"preferred": beneficiary.preferred_tutor_gender, "tutor_gender": tutor.gender},
            )
        )
    if not documents_ok(tutors, beneficiaries, pairs.t, pairs.b)[0]:
        broken.append(_document_reason(ctx, tutor, beneficiary))
    if not needs_ok(beneficiaries, pairs, usable_skills(tutors, ctx.vocab, pairs))[0]:
        broken.append(Reason(NO_NEED_COVERED, {"needs": sorted_needs(beneficiary)}))
    if not not_excluded(pairs, excluded_keys, len(tutors))[0]:
        broken.append(Reason(EXCLUDED_PAIR, {}))
    if score < weights.min_score:
        broken.append(
            Reason(SCORE_BELOW_MINIMUM, {"score": round(score, 4), "min_score": weights.min_score})
        )
    return tuple(broken)


def usable_languages(person: Tutor | Beneficiary, weights: Weights) -> list[str]:
    """Languages spoken at a usable level (`Weights.usable_rank`: Italian may count lower),
    best first."""
    usable = [
        (code, LEVEL_RANK[level])
        for code, level in person.languages.items()
        if LEVEL_RANK[level] >= weights.usable_rank(code)
    ]
    return [code for code, _ in sorted(usable, key=lambda item: (-item[1], item[0]))]


def _document_reason(ctx: Explainer, tutor: Tutor | None, beneficiary: Beneficiary) -> Reason:
    required = ctx.vocab.skill_document
    needing = {code: required[code] for code in sorted_needs(beneficiary) if code in required}
    documents = sorted(set(needing.values()))
    params: dict[str, object] = {"documents": documents, "skills": list(needing)}
    if tutor is not None:
        expired = [tutor.documents[d] for d in documents if d in tutor.documents]
        params["expired_on"] = min(expired).isoformat() if expired else None
    return Reason(DOCUMENT_REQUIRED, params)


def unmatched_reasons(
    ctx: Explainer,
    unmatched: np.ndarray,
    feasible_count: np.ndarray,
    best_candidate: dict[int, float],
    excluded_keys: np.ndarray,
    hopeless: dict[int, list[Reason]] | None = None,
) -> dict[int, list[Reason]]:
    """Say why each unmatched beneficiary (by index) got no tutor.

    `hopeless`: the reasons of those without any feasible pair, if already known
    (`hopeless_reasons`; they do not depend on the assignment).
    """
    out: dict[int, list[Reason]] = {}
    ids = ctx.beneficiaries.ids
    for bi in unmatched[feasible_count[unmatched] > 0].tolist():
        out[int(ids[bi])] = [
            Reason(
                ALL_CANDIDATES_TAKEN,
                {"candidates": int(feasible_count[bi]), "best_score": best_candidate.get(bi)},
            )
        ]
    if hopeless is None:
        hopeless_idx = unmatched[feasible_count[unmatched] == 0]
        hopeless = hopeless_reasons(ctx, hopeless_idx, excluded_keys)
    out.update(hopeless)
    return out


def hopeless_reasons(
    ctx: Explainer, hopeless: np.ndarray, excluded_keys: np.ndarray
) -> dict[int, list[Reason]]:
    """Say why each beneficiary (by index) without any feasible pair has none."""
    out: dict[int, list[Reason]] = {}
    ids = ctx.beneficiaries.ids
    if len(hopeless) == 0:
        return out
    tutors = ctx.tutors
    if len(tutors) == 0:
        for bi in hopeless.tolist():
            reason = Reason(NO_TUTOR_WITHIN_REACH, {"nearest_km": None, "nearest_max_km": None})
            out[int(ids[bi])] = [reason]
        return out
    tree = BallTree(tutors.xyz)
    for start in range(0, len(hopeless), 1000):  # bounded memory in dense areas
        _diagnose(ctx, tree, hopeless[start : start + 1000], excluded_keys, out)
    return out


def _diagnose(
    ctx: Explainer,
    tree: BallTree,
    hopeless: np.ndarray,
    excluded_keys: np.ndarray,
    out: dict[int, list[Reason]],
) -> None:
    tutors, beneficiaries, weights = ctx.tutors, ctx.beneficiaries, ctx.weights
    ids = beneficiaries.ids
    widest = float(tutors.max_km.max())
    radius = np.where(beneficiaries.remote[hopeless], max(widest, weights.remote_max_km), widest)
    found = tree.query_radius(beneficiaries.xyz[hopeless], r=km_to_chord(radius) * (1 + 1e-12))
    counts = np.fromiter((len(x) for x in found), np.int64, len(found))
    local = np.repeat(np.arange(len(hopeless)), counts)  # sorted: each person's pairs in a run
    ends = np.cumsum(counts)
    t = np.concatenate(found).astype(np.int64) if counts.sum() else np.zeros(0, np.int64)
    km = distance_km(tutors.xyz[t], beneficiaries.xyz[hopeless[local]])
    pairs = Pairs(t, hopeless[local], km, km > tutors.max_km[t])
    tests = stage_tests(ctx, pairs, excluded_keys)
    masks = list(accumulate(tests, np.logical_and))  # pairs passing every stage up to each
    n = len(hopeless)
    alive = np.stack([np.bincount(local[m], minlength=n) for m in masks])
    alone = np.stack([np.bincount(local[masks[0] & test], minlength=n) for test in tests[1:7]])
    _, nearest = tree.query(beneficiaries.xyz[hopeless], k=1)
    nearest_km = distance_km(tutors.xyz[nearest[:, 0]], beneficiaries.xyz[hopeless])
    # A constraint that alone leaves no tutor within reach is the blocker (its reason is
    # true of every tutor in reach); otherwise the first stage that leaves nobody once the
    # earlier ones have narrowed the tutors down (its reason then names those).
    empty = alive == 0
    stages = np.where(empty.any(axis=0), np.argmax(empty, axis=0), STAGES)
    single = (stages > 0) & (alone == 0).any(axis=0)
    stages = np.where(single, np.argmax(alone == 0, axis=0) + 1, stages)
    padded = np.vstack([np.zeros((1, n), dtype=alive.dtype), alive])
    befores = np.where(single, alive[0], padded[stages, np.arange(n)])
    rows = zip(
        hopeless.tolist(), stages.tolist(), single.tolist(), befores.tolist(),
        (ends - counts).tolist(), ends.tolist(), nearest_km.tolist(), nearest[:, 0].tolist(),
        alive.T.tolist(), strict=True,
    )  # fmt: skip
    for bi, stage, alone_blocks, before, start, end, km, tutor, left in rows:
        considered = masks[0 if alone_blocks else max(stage - 1, 0)]
        narrowed = [] if alone_blocks or stage > 6 else [
            STAGE_CODES[s] for s in range(1, stage) if left[s] < left[s - 1]
        ]  # fmt: skip
        reason = _stage_reason(
            ctx, stage, bi, before, pairs, considered, slice(start, end), km, tutor
        )
        if narrowed:
            reason = Reason(reason.code, {**reason.params, "narrowed_by": narrowed})
        out[int(ids[bi])] = [reason]


def _stage_reason(
    ctx: Explainer,
    stage: int,
    bi: int,
    before: int,
    pairs: Pairs,
    considered: np.ndarray,
    mine: slice,
    nearest_km: float,
    nearest: int,
) -> Reason:
    """The reason of a stage; `considered`: the pairs its test was applied to."""
    beneficiary = ctx.beneficiaries.records[bi]
    weights = ctx.weights
    if stage == 0:
        params = {"nearest_km": round(nearest_km, 1), "nearest_max_km": ctx.tutors.max_km[nearest]}
        return Reason(NO_TUTOR_WITHIN_REACH, {k: float(v) for k, v in params.items()})
    if stage == 1:
        return Reason(NO_FREE_TUTOR, {"tutors_in_reach": before})
    if stage == 2:
        within = pairs.km[mine][considered[mine]]
        return Reason(
            NO_SHARED_LANGUAGE,
            {
                "languages": usable_languages(beneficiary, weights),
                "tutors_in_reach": before,
                "within_km": round(float(within.max()), 1) if len(within) else None,
            },
        )
    if stage == 3:
        return Reason(
            GENDER_PREFERENCE_UNMET,
            {"preferred": beneficiary.preferred_tutor_gender, "tutors": before},
        )
    if stage == 4:
        reason = _document_reason(ctx, None, beneficiary)
        return Reason(DOCUMENT_REQUIRED, {**reason.params, "tutors": before})
    if stage == 5:
        return Reason(NO_NEED_COVERED, {"needs": sorted_needs(beneficiary), "tutors": before})
    if stage == 6:
        return Reason(EXCLUDED_PAIRS, {"count": before})
    if stage == 7:
        survivors = pairs.take(np.arange(len(pairs))[mine][considered[mine]])
        score, _ = ctx.scores(survivors)
        return Reason(
            ONLY_WEAK_CANDIDATES,
            {
                "candidates": before,
                "best_score": round(float(score.max()), 4),
                "min_score": weights.min_score,
            },
        )
    return Reason(ALL_CANDIDATES_TAKEN, {"candidates": before, "best_score": None})
