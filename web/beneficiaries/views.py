"""Register, edit, list, show and close beneficiaries."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from web.beneficiaries import blueprint
from web.beneficiaries.forms import (
    BeneficiaryFormBase,
    CloseForm,
    ListFilterForm,
    beneficiary_form_class,
    edit_form_class,
    options,
)
from web.extensions import db
from web.models import Beneficiary, Match
from web.services import beneficiaries as service
from web.services.display import mask_from_slots, slots_from_mask
from web.services.errors import ServiceError
from web.services.scope import coordinator_required, get_in_scope_or_404, visible_territories
from web.urls import requested_page

PER_PAGE = 25


def load_beneficiary(beneficiary_id: int) -> Beneficiary:
    """Load a record the user may see (404 and an audit event otherwise)."""
    found = get_in_scope_or_404(Beneficiary, beneficiary_id, lambda b: b.territory_id)
    if found.erased_at is not None:
        abort(404)
    return found


def form_data(form: BeneficiaryFormBase, place_id: int) -> service.BeneficiaryData:
    """Turn a validated form into the service's input."""
    return service.BeneficiaryData(
        first_name=form.first_name.data,
        contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data,
        preferred_language=form.preferred_language.data,
        place_id=place_id,
        languages=form.languages(),
        needs=form.needs(),
        availability=mask_from_slots(form.availability.data or []),
        gender=form.gender.data or None,
        preferred_tutor_gender=form.preferred_tutor_gender.data or None,
        remote_ok=form.remote_ok.data,
        waiting_since=form.waiting_since.data,
        interests=form.interests.data or "",
    )


def show_errors(form: BeneficiaryFormBase, error: ServiceError) -> None:
    """Put a service's messages next to the fields they are about."""
    for name, message in error.errors.items():
        if name and name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            flash(message, "error")


@blueprint.route("")
@coordinator_required
def index():
    """List the people of my territories, longest waiting first."""
    territories = visible_territories(current_user)
    form = ListFilterForm(request.args)
    form.territory.choices = options([("", _("All"))] + [(t.id, t.name) for t in territories])
    if not form.validate():
        return render_template(
            "beneficiaries/list.html", form=form, page=None, territories=territories
        ), 400
    territory_id = int(form.territory.data) if form.territory.data else None
    query = service.list_query(current_user, form.status.data or None, territory_id)
    page = db.paginate(query, page=requested_page(), per_page=PER_PAGE, error_out=False)
    return render_template("beneficiaries/list.html", form=form, page=page, territories=territories)


@blueprint.route("/new", methods=["GET", "POST"])
@coordinator_required
def new():
    """Register a person who has given consent."""
    form = beneficiary_form_class()()
    if not form.is_submitted():
        form.preferred_language.data = form.preferred_language.data or "it"
    if form.validate_on_submit():
        try:
            place, territory = service.resolve_place(form.place.data, current_user)
            created = service.create_beneficiary(form_data(form, place.id), territory, current_user)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Registered as %(code)s.", code=created.code), "success")
            return redirect(url_for("beneficiaries.detail", beneficiary_id=created.id))
    status = 400 if form.is_submitted() else 200
    return render_template("beneficiaries/form.html", form=form, beneficiary=None), status


@blueprint.route("/<int:beneficiary_id>")
@coordinator_required
def detail(beneficiary_id: int):
    """Show a person's record (the view is audited)."""
    beneficiary = load_beneficiary(beneficiary_id)
    service.record_view(beneficiary)
    matches = list(
        db.session.scalars(
            select(Match)
            .where(Match.beneficiary_id == beneficiary.id, Match.status != "superseded")
            .order_by(Match.created_at.desc())
            .limit(20)
        )
    )
    return render_template("beneficiaries/detail.html", beneficiary=beneficiary, matches=matches)


@blueprint.route("/<int:beneficiary_id>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(beneficiary_id: int):
    """Edit a person's record."""
    beneficiary = load_beneficiary(beneficiary_id)
    if beneficiary.status == "closed":
        flash(_("This record is closed and cannot be edited."), "error")
        return redirect(url_for("beneficiaries.detail", beneficiary_id=beneficiary.id))
    form = edit_form_class()()
    if not form.is_submitted():
        fill_form(form, beneficiary)
    if form.validate_on_submit():
        try:
            place, _territory = service.resolve_place(
                form.place.data, current_user, beneficiary.territory
            )
            service.update_beneficiary(beneficiary, form_data(form, place.id))
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("beneficiaries.detail", beneficiary_id=beneficiary.id))
    status = 400 if form.is_submitted() else 200
    return render_template("beneficiaries/form.html", form=form, beneficiary=beneficiary), status


def fill_form(form: BeneficiaryFormBase, beneficiary: Beneficiary) -> None:
    """Show the stored record in the form."""
    form.first_name.data = beneficiary.first_name
    form.contact_email.data = beneficiary.contact_email
    form.contact_phone.data = beneficiary.contact_phone
    form.preferred_language.data = beneficiary.preferred_language
    form.place.data = beneficiary.place.label if beneficiary.place else ""
    others = []
    for language in beneficiary.languages:
        if language.is_first:
            form.first_language.data = language.lang
            form.first_language_level.data = language.level
        elif language.lang == "it":
            form.italian_level.data = language.level
        else:
            others.append(language)
    for row, language in enumerate(others[:3]):
        form[f"other_lang_{row}"].data = language.lang
        form[f"other_level_{row}"].data = language.level
    for need in beneficiary.needs:
        if f"need_{need.skill_code}" in form:
            form[f"need_{need.skill_code}"].data = str(need.priority)
    form.availability.data = slots_from_mask(beneficiary.availability)
    form.gender.data = beneficiary.gender or ""
    form.preferred_tutor_gender.data = beneficiary.preferred_tutor_gender or ""
    form.remote_ok.data = beneficiary.remote_ok
    form.waiting_since.data = beneficiary.waiting_since
    form.interests.data = beneficiary.interests


@blueprint.route("/<int:beneficiary_id>/close", methods=["GET", "POST"])
@coordinator_required
def close(beneficiary_id: int):
    """Close a record with a reason."""
    beneficiary = load_beneficiary(beneficiary_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            service.close_beneficiary(beneficiary, form.reason.data)
        except ServiceError as error:
            flash(error.errors.get("", str(error)), "error")
            return redirect(url_for("beneficiaries.detail", beneficiary_id=beneficiary.id))
        flash(_("The record %(code)s is closed.", code=beneficiary.code), "success")
        return redirect(url_for("beneficiaries.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("beneficiaries/close.html", form=form, beneficiary=beneficiary), status
