"""The vetting queue: coordinators approve or decline new tutors of their territories."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from config.taxonomy import load_taxonomy
from web.account.views import show_errors
from web.services import vetting
from web.services.display import DAY_LABELS, PART_LABELS, slots_from_mask
from web.services.errors import ServiceError
from web.services.scope import coordinator_required
from web.vetting.forms import ApproveForm, DeclineForm

blueprint = Blueprint("vetting", __name__, url_prefix="/vetting")


@blueprint.route("/")
@coordinator_required
def queue():
    """List complete tutor profiles waiting for a decision."""
    return render_template("vetting/queue.html", tutors=vetting.vetting_queue(current_user))


def render_tutor(profile, approve_form=None, decline_form=None, status: int = 200):
    locale = str(get_locale())
    return render_template(
        "vetting/tutor.html",
        profile=profile,
        skills=load_taxonomy().skills,
        locale=locale,
        free_slots=[
            f"{DAY_LABELS[slot.split('_')[0]]} · {PART_LABELS[slot.split('_')[1]]}"
            for slot in slots_from_mask(profile.availability)
        ],
        approve_form=approve_form or ApproveForm(formdata=None),
        decline_form=decline_form or DeclineForm(formdata=None),
    ), status


def scoped_tutor(tutor_id: int):
    """Return a tutor of the coordinator's territories, or 404 (the attempt is audited)."""
    profile = vetting.tutor_for_vetting(current_user, tutor_id)
    if profile is None:
        abort(404)
    return profile


@blueprint.route("/tutors/<int:tutor_id>")
@coordinator_required
def tutor(tutor_id: int):
    """Show a tutor's profile with the decision forms."""
    return render_tutor(scoped_tutor(tutor_id))


@blueprint.route("/tutors/<int:tutor_id>/approve", methods=["POST"])
@coordinator_required
def approve(tutor_id: int):
    """Approve a tutor with their training and background check dates."""
    profile = scoped_tutor(tutor_id)
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            vetting.approve(
                current_user,
                profile,
                training_completed_on=form.training_completed_on.data,
                background_check_on=form.background_check_on.data,
                background_check_expires_on=form.background_check_expires_on.data,
            )
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s is now an active tutor.", name=profile.display_name), "success")
            return redirect(url_for("vetting.queue"))
    return render_tutor(profile, approve_form=form, status=400)


@blueprint.route("/tutors/<int:tutor_id>/decline", methods=["POST"])
@coordinator_required
def decline(tutor_id: int):
    """Decline a tutor with a reason."""
    profile = scoped_tutor(tutor_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            vetting.decline(current_user, profile, form.reason.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The volunteer has been told."), "info")
            return redirect(url_for("vetting.queue"))
    return render_tutor(profile, decline_form=form, status=400)
