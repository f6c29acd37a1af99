"""The tutor's profile: a short wizard (each step saved), then pause, resume or withdraw."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from config.taxonomy import language_choices, language_name, load_taxonomy
from web.account.forms import EmptyForm
from web.account.views import show_errors
from web.services import display
from web.services import tutor_profile as profiles
from web.services.errors import ServiceError
from web.tutors.access import current_profile, tutor_required
from web.tutors.forms import (
    LANGUAGE_ROWS,
    AboutForm,
    AvailabilityForm,
    LanguagesForm,
    PlaceForm,
    SkillsForm,
    options,
)

blueprint = Blueprint("tutors", __name__, url_prefix="/tutor")

STEP_TITLES = {
    "place": _l("Where you are"),
    "skills": _l("What you can help with"),
    "languages": _l("Languages you speak"),
    "availability": _l("When you are free"),
    "about": _l("About you"),
}


def step_form(step: str, profile, formdata=True):
    """Build a step's form, prefilled from the profile on GET."""
    use = None if not formdata else request.form if request.method == "POST" else None
    if step == "place":
        return PlaceForm(
            formdata=use,
            place=profile.place.label if profile.place else "",
            max_travel_km=profile.max_travel_km,
            remote_ok=profile.remote_ok,
        )
    if step == "skills":
        return SkillsForm(formdata=use, skills=[s.skill_code for s in profile.skills])
    if step == "languages":
        rows = [{"lang": lang.lang, "level": lang.level} for lang in profile.languages]
        rows += [{"lang": "", "level": ""}] * max(LANGUAGE_ROWS - len(rows), 0)
        form = LanguagesForm(formdata=use, data={"languages": rows})
        choices = options([("", "—"), *language_choices(str(get_locale()))])
        for row in form.languages:
            row.lang.choices = choices
        return form
    if step == "availability":
        return AvailabilityForm(
            formdata=use,
            slots=display.slots_from_mask(profile.availability),
            capacity=profile.capacity,
        )
    return AboutForm(
        formdata=use,
        display_name=profile.display_name,
        interests=profile.interests,
        motivation=profile.motivation,
        gender=profile.gender or "",
    )


def save_step(step: str, profile, form) -> None:
    """Hand a validated step form to the profile service."""
    if step == "place":
        profiles.save_place(profile, form.place.data, form.max_travel_km.data, form.remote_ok.data)
    elif step == "skills":
        profiles.save_skills(profile, list(form.skills.data or []))
    elif step == "languages":
        rows = [(row.lang.data, row.level.data) for row in form.languages]
        profiles.save_languages(profile, rows)
    elif step == "availability":
        profiles.save_availability(profile, list(form.slots.data or []), form.capacity.data)
    else:
        profiles.save_about(
            profile,
            form.display_name.data,
            form.interests.data,
            form.motivation.data,
            form.gender.data,
        )


def show_step_errors(form, error: ServiceError) -> None:
    """Place service errors next to fields, including those of language rows."""
    for name, message in error.errors.items():
        prefix, _, rest = name.partition("-")
        if prefix == "languages" and rest:
            index, _, field_name = rest.partition("-")
            if index.isdigit() and int(index) < len(form.languages):
                getattr(form.languages[int(index)], field_name).errors = [message]
                continue
        show_errors(form, ServiceError({name: message}))


@blueprint.route("/")
@tutor_required
def dashboard():
    """Show the profile, its status and what to do next."""
    profile = current_profile()
    return render_template(
        "tutors/dashboard.html",
        profile=profile,
        done=profiles.steps_done(profile),
        next_step=profiles.next_step(profile),
        titles=STEP_TITLES,
        taxonomy=load_taxonomy(),
        slot_count=bin(profile.availability).count("1"),
        languages=[
            (language_name(lang.lang, str(get_locale())), lang.level) for lang in profile.languages
        ],
        button=EmptyForm(),
    )


@blueprint.route("/profile/<step>", methods=["GET", "POST"])
@tutor_required
def step(step: str):
    """Show and save one step of the profile wizard."""
    if step not in profiles.STEPS:
        abort(404)
    profile = current_profile()
    if profile.status in ("withdrawn", "declined"):
        flash(_("This profile is no longer in the programme."), "error")
        return redirect(url_for("tutors.dashboard"))
    form = step_form(step, profile)
    status = 200
    if form.validate_on_submit():
        try:
            save_step(step, profile, form)
        except ServiceError as error:
            show_step_errors(form, error)
            status = 400
        else:
            return redirect(after_save(step, profile))
    elif form.is_submitted():
        status = 400
    return render_template(
        "tutors/step.html",
        step=step,
        steps=profiles.STEPS,
        titles=STEP_TITLES,
        done=profiles.steps_done(profile),
        form=form,
        taxonomy=load_taxonomy(),
        days=display.DAYS,
        parts=display.DAY_PARTS,
        locale=str(get_locale()),
    ), status


def after_save(step: str, profile) -> str:
    """Go on to the next unfilled step, or back to the profile when everything is filled."""
    following = profiles.next_step(profile)
    if following is None:
        if profile.status == "pending":
            flash(
                _("Your profile is complete. A coordinator of your province will contact you."),
                "success",
            )
        else:
            flash(_("Saved."), "success")
        return url_for("tutors.dashboard")
    flash(_("Saved."), "success")
    return url_for("tutors.step", step=following)


@blueprint.route("/status/<action>", methods=["POST"])
@tutor_required
def change_status(action: str):
    """Pause, resume or withdraw from the programme."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    profile = current_profile()
    actions = {
        "pause": (profiles.pause, _("Paused: you will get no new proposals.")),
        "resume": (profiles.resume, _("Welcome back: you can be proposed again.")),
        "withdraw": (profiles.withdraw, _("You have left the programme. Thank you.")),
    }
    if action not in actions:
        abort(404)
    change, message = actions[action]
    try:
        change(profile)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(message, "success")
    return redirect(url_for("tutors.dashboard"))


from web.tutors import matches  # noqa: E402, F401 - the match pages share the blueprint
