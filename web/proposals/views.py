"""Review proposals per territory: approve, reject, pick an alternative, match by hand."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from web.extensions import db
from web.models import Beneficiary, Match, Territory, TutorProfile
from web.proposals.forms import ManualMatchForm, RejectForm, SearchForm
from web.runs.forms import ActionForm
from web.runs.views import territory_in_scope
from web.services import decisions
from web.services import review as review_service
from web.services.decisions import DecisionError
from web.services.scope import coordinator_required, get_in_scope_or_404

blueprint = Blueprint("proposals", __name__, url_prefix="/proposals")


def match_in_scope(match_id: int) -> Match:
    """Load a match of the coordinator's territories, or 404 (audited)."""
    return get_in_scope_or_404(Match, match_id, lambda m: m.beneficiary.territory_id)


def back_to_review(match: Match, confirm: int | None = None):
    """Return to the review page at the beneficiary's card (with a choice to confirm, open)."""
    url = url_for("proposals.review", territory_id=match.beneficiary.territory_id, confirm=confirm)
    return redirect(f"{url}#b{match.beneficiary_id}")


@blueprint.route("/territory/<int:territory_id>")
@coordinator_required
def review(territory_id: int):
    """List waiting beneficiaries (longest wait first) with their proposed tutors."""
    return review_page(territory_in_scope(territory_id))


def review_page(place: Territory, failed: tuple[int, RejectForm] | None = None) -> str:
    """Render the review page; a rejection that failed shows its errors at its proposal."""
    cards, without = review_service.cards(place.id)
    return render_template(
        "proposals/review.html",
        territory=place,
        cards=cards,
        without=without,
        form=ActionForm(),
        reject_form=RejectForm(formdata=None),
        failed_reject=failed,
        today=date.today(),
        confirm=request.args.get("confirm", type=int),
    )


@blueprint.route("/<int:match_id>/approve", methods=["POST"])
@coordinator_required
def approve(match_id: int):
    """Approve a proposal (or pick an alternative): the others for this person give way."""
    match = match_in_scope(match_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if review_service.is_alternative(match) and request.form.get("confirmed") != "yes":
        # "Choose this tutor instead" emails both people: never without the confirmation.
        flash(_("Not approved yet: confirm to approve this tutor instead."), "info")
        return back_to_review(match, confirm=match.id)
    try:
        decisions.approve(match, current_user.id)
    except DecisionError as exc:
        flash(str(exc), "error")
        return back_to_review(match)
    flash(
        _(
            "Approved: %(code)s with %(name)s. Both will be told by email.",
            code=match.beneficiary.code,
            name=match.tutor.display_name,
        ),
        "success",
    )
    return back_to_review(match)


@blueprint.route("/<int:match_id>/reject", methods=["POST"])
@coordinator_required
def reject(match_id: int):
    """Reject a proposal with a reason; the pair is not proposed again."""
    match = match_in_scope(match_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return review_page(match.beneficiary.territory, (match.id, form)), 400
    try:
        decisions.reject(match, current_user.id, form.reason_code.data, form.reason_text.data or "")
    except DecisionError as exc:
        if "" in exc.errors:  # not about the form: the proposal was decided meanwhile
            flash(str(exc), "error")
            return back_to_review(match)
        for name, message in exc.errors.items():
            form[name].errors = [message]
        return review_page(match.beneficiary.territory, (match.id, form)), 400
    flash(
        _(
            "Rejected: %(name)s will not be proposed again for %(code)s.",
            name=match.tutor.display_name,
            code=match.beneficiary.code,
        ),
        "success",
    )
    return back_to_review(match)


@blueprint.route("/territory/<int:territory_id>/approve", methods=["POST"])
@coordinator_required
def approve_many(territory_id: int):
    """Approve the ticked proposals one by one; say which could not be approved and why."""
    place = territory_in_scope(territory_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    raw = request.form.getlist("match_id")
    if not raw:
        flash(_("Tick at least one proposal to approve."), "error")
        return redirect(url_for("proposals.review", territory_id=place.id))
    if len(raw) > 500 or not all(value.isdigit() and len(value) < 12 for value in raw):
        abort(400)
    approved, problems = review_service.approve_many(
        place.id, [int(v) for v in raw], current_user.id
    )
    if approved:
        flash(
            ngettext("%(num)d proposal approved.", "%(num)d proposals approved.", approved),
            "success",
        )
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for("proposals.review", territory_id=place.id))


@blueprint.route("/beneficiary/<int:beneficiary_id>/manual", methods=["GET", "POST"])
@coordinator_required
def manual(beneficiary_id: int):
    """Search active tutors, see each pair's score and broken constraints, match by hand."""
    person = get_in_scope_or_404(Beneficiary, beneficiary_id, lambda b: b.territory_id)
    search = SearchForm(request.args)
    form = ManualMatchForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            profile = db.session.get(TutorProfile, form.tutor_id.data)
            try:
                if profile is None:
                    raise DecisionError(
                        {"tutor_id": _("Choose an active tutor of this territory.")}
                    )
                decisions.match_by_hand(person, profile, current_user.id, form.reason.data)
            except DecisionError as exc:
                for field, message in exc.errors.items():
                    getattr(form, field, form.reason).errors = [message]  # type: ignore[misc]
                status = 400
            else:
                flash(
                    _(
                        "Matched by hand: %(code)s with %(name)s.",
                        code=person.code,
                        name=profile.display_name,
                    ),
                    "success",
                )
                return redirect(url_for("follow.index", territory_id=person.territory_id))
        else:
            status = 400
        search.q.data = form.q.data or search.q.data
    query = (search.q.data or "").strip() if search.validate() else ""
    candidates = review_service.manual_candidates(person, query) if query else []
    return render_template(
        "proposals/manual.html",
        person=person,
        search=search,
        form=form,
        candidates=candidates,
        query=query,
    ), status
