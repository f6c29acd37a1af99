"""Follow open matches: last meetings, flags, meetings logged by the tutor, ending a match."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web.extensions import db
from web.follow.forms import EndForm, MeetingForm
from web.models import Match
from web.runs.views import territory_in_scope
from web.services import audit, follow
from web.services.decisions import DecisionError
from web.services.scope import can_see_territory, coordinator_required, get_in_scope_or_404

blueprint = Blueprint("follow", __name__, url_prefix="/matches")


def match_in_scope(match_id: int) -> Match:
    """Load a match of the coordinator's territories, or 404 (audited)."""
    return get_in_scope_or_404(Match, match_id, lambda m: m.beneficiary.territory_id)


def apply_errors(form, exc: DecisionError) -> None:
    """Show a service's refusal next to the fields it names."""
    for name, message in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None:
            target.errors = [*target.errors, message]
        else:
            flash(message, "error")


@blueprint.route("/territory/<int:territory_id>")
@coordinator_required
def index(territory_id: int):
    """List open matches with the last meeting; flag those without one for weeks."""
    place = territory_in_scope(territory_id)
    return render_template(
        "follow/index.html",
        territory=place,
        followed=follow.open_matches(place.id),
        weeks=current_app.config["MEETING_FLAG_WEEKS"],
    )


@blueprint.route("/<int:match_id>")
@coordinator_required
def show(match_id: int):
    """Show one match with its meetings and the form to end it."""
    match = match_in_scope(match_id)
    audit.record("match_viewed", "match", match.id, territory_id=match.beneficiary.territory_id)
    db.session.commit()
    return render_template("follow/show.html", match=match, end_form=EndForm())


@blueprint.route("/<int:match_id>/end", methods=["POST"])
@coordinator_required
def end(match_id: int):
    """End an open match with an outcome and reason; the pair is never proposed again."""
    match = match_in_scope(match_id)
    form = EndForm()
    if form.validate_on_submit():
        try:
            follow.end_match(
                match,
                current_user.id,
                form.outcome.data,
                form.reason.data,
                form.beneficiary_next.data,
            )
        except DecisionError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The match of %(code)s has ended.", code=match.beneficiary.code), "success")
            return redirect(url_for("follow.index", territory_id=match.beneficiary.territory_id))
    return render_template("follow/show.html", match=match, end_form=form), 400


@blueprint.route("/<int:match_id>/meetings/new", methods=["GET", "POST"])
@login_required
def log_meeting(match_id: int):
    """Let the match's tutor log a meeting (date, duration, topic)."""
    match = db.get_or_404(Match, match_id)
    is_tutor = follow.can_log_meetings(match, current_user)
    is_coordinator = (current_user.is_coordinator or current_user.is_admin) and can_see_territory(
        match.beneficiary.territory_id
    )
    if not (is_tutor or is_coordinator):
        audit.record(
            "access_denied", "match", match.id, territory_id=match.beneficiary.territory_id
        )
        db.session.commit()
        abort(404)
    form = MeetingForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                follow.log_meeting(
                    match,
                    current_user.id,
                    form.held_on.data,
                    form.duration_minutes.data,
                    form.topic.data or "",
                )
            except DecisionError as exc:
                apply_errors(form, exc)
            else:
                flash(_("Meeting saved. Thank you!"), "success")
                return redirect(match_page(match, is_tutor))
        status = 400
    return render_template(
        "follow/log_meeting.html", match=match, form=form, back=match_page(match, is_tutor)
    ), status


def match_page(match: Match, is_tutor: bool) -> str:
    """Return the page that shows this person the match and its meetings."""
    if is_tutor:
        return url_for("tutors.match", match_id=match.id)
    return url_for("follow.show", match_id=match.id)
