"""Opt out of non-essential emails through the signed link every such email carries."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from wtforms import HiddenField

from web.forms import AppForm
from web.services import optout
from web.services.notifications import has_opted_out

blueprint = Blueprint("email_prefs", __name__)


class ChoiceForm(AppForm):
    """Confirm the choice (a link prefetched by a mail scanner changes nothing)."""

    choice = HiddenField()


@blueprint.route("/email/opt-out/<token>", methods=["GET", "POST"])
def opt_out(token: str):
    """Stop (or resume) reminders and summaries for the person the link was sent to."""
    user = optout.user_for_token(token)
    if user is None or not user.active:
        return render_template("account/link_problem.html", problem="invalid", kind="opt_out"), 400
    form = ChoiceForm()
    if form.validate_on_submit():
        if form.choice.data == "resume":
            optout.opt_in(user)
        elif form.choice.data == "stop":
            optout.opt_out(user)
        else:
            abort(400)
    return render_template("email_prefs/opt_out.html", form=form, opted_out=has_opted_out(user.id))
