"""My matches: the tutor sees the matches a coordinator approved and answers them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from config.taxonomy import language_name, load_taxonomy
from web.account.forms import EmptyForm
from web.account.views import show_errors
from web.services import tutor_matches
from web.services.errors import ServiceError
from web.tutors.access import current_profile, tutor_required
from web.tutors.forms import DeclineMatchForm
from web.tutors.reasons import reason_sentences
from web.tutors.views import blueprint


def match_view(match) -> dict:
    """Return what a tutor may see of a match: never status, nationality or documents."""
    locale = str(get_locale())
    skills = load_taxonomy().skills
    beneficiary = match.beneficiary
    shown = {
        "id": match.id,
        "status": match.status,
        "first_name": beneficiary.first_name,
        "municipality": beneficiary.place.label if beneficiary.place else "",
        "languages": [
            (language_name(lang.lang, locale), lang.level) for lang in beneficiary.languages
        ],
        "needs": [
            skills[need.skill_code].label(locale) if need.skill_code in skills else need.skill_code
            for need in sorted(beneficiary.needs, key=lambda n: -n.priority)
        ],
        "reasons": reason_sentences(match.reasons or []),
        "approved_at": match.decided_at,
        "accepted_at": match.accepted_at,
        "ended_at": match.ended_at,
        "meetings": list(match.meetings),
    }
    if match.status == "active":  # contact details only once the tutor has accepted
        shown["contact_email"] = beneficiary.contact_email
        shown["contact_phone"] = beneficiary.contact_phone
        shown["preferred_language"] = language_name(beneficiary.preferred_language, locale)
    return shown


@blueprint.route("/matches")
@tutor_required
def matches():
    """List the tutor's matches: those to answer first."""
    profile = current_profile()
    found = [match_view(m) for m in tutor_matches.matches_for(profile)]
    return render_template("tutors/matches.html", matches=found, profile=profile)


@blueprint.route("/matches/<int:match_id>")
@tutor_required
def match(match_id: int):
    """Show one match with the answer forms."""
    found = tutor_matches.match_for(current_profile(), match_id)
    if found is None:
        abort(404)
    return render_match(found)


def render_match(found, decline_form=None, status: int = 200):
    return render_template(
        "tutors/match.html",
        match=match_view(found),
        button=EmptyForm(),
        decline_form=decline_form or DeclineMatchForm(formdata=None),
    ), status


@blueprint.route("/matches/<int:match_id>/accept", methods=["POST"])
@tutor_required
def accept(match_id: int):
    """Accept an approved match."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        tutor_matches.accept(current_profile(), match_id)
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Thank you! You can now see how to get in touch."), "success")
    return redirect(url_for("tutors.match", match_id=match_id))


@blueprint.route("/matches/<int:match_id>/decline", methods=["POST"])
@tutor_required
def decline(match_id: int):
    """Decline an approved match with a reason."""
    profile = current_profile()
    found = tutor_matches.match_for(profile, match_id)
    if found is None:
        abort(404)
    form = DeclineMatchForm()
    if form.validate_on_submit():
        try:
            tutor_matches.decline(profile, match_id, form.reason.data)
        except ServiceError as error:
            if "reason" in error.errors:
                show_errors(form, error)
                return render_match(found, form, 400)
            flash(str(error), "error")
        else:
            flash(_("You declined the match. The coordinator has been told."), "info")
            return redirect(url_for("tutors.matches"))
        return redirect(url_for("tutors.match", match_id=match_id))
    return render_match(found, form, 400)
