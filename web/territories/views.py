"""Territory settings page: the coordinators of the territory and admins."""

from __future__ import annotations

from dataclasses import asdict, fields

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from matching.model import LEVEL_RANK
from web.account.views import show_errors
from web.models import Territory
from web.services import display
from web.services.contacts import deployment_contact
from web.services.errors import ServiceError
from web.services.scope import coordinator_required, get_in_scope_or_404
from web.services.territory_settings import (
    LEVEL_SETTINGS,
    TerritorySettings,
    current_settings,
    engine_defaults,
    save_settings,
)
from web.territories.forms import TerritorySettingsForm

blueprint = Blueprint("territories", __name__, url_prefix="/territories")


def settings_form(territory: Territory) -> TerritorySettingsForm:
    """Build the form (the submitted values, else the current ones), levels named in words."""
    form = TerritorySettingsForm(data=asdict(current_settings(territory)))
    defaults = engine_defaults()
    for name in LEVEL_SETTINGS:
        default = getattr(defaults, name)
        getattr(form, name).choices = [
            (code, _("%(level)s (default)", level=display.level(code)) if code == default
             else display.level(code))
            for code in LEVEL_RANK
        ]  # fmt: skip
    return form


@blueprint.route("/<int:territory_id>/settings", methods=["GET", "POST"])
@coordinator_required
def settings(territory_id: int):
    """Show and change a territory's minimum shared levels and its contact."""
    territory = get_in_scope_or_404(Territory, territory_id, lambda t: t.id)
    form = settings_form(territory)
    status = 200
    if form.validate_on_submit():
        wanted = TerritorySettings(
            **{field.name: form[field.name].data or "" for field in fields(TerritorySettings)}
        )
        try:
            changed = save_settings(territory, wanted)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Settings saved.") if changed else _("Nothing to change."), "success")
            return redirect(url_for("territories.settings", territory_id=territory.id))
    if form.is_submitted():
        status = 400
    return render_template(
        "territories/settings.html",
        territory=territory,
        form=form,
        default_levels={
            name: display.level(getattr(engine_defaults(), name)) for name in LEVEL_SETTINGS
        },
        deployment_contact=deployment_contact(),
    ), status
