"""Beneficiaries: register, edit, list, close, import and export (one blueprint)."""

from flask import Blueprint

blueprint = Blueprint("beneficiaries", __name__, url_prefix="/beneficiaries")


@blueprint.record_once
def add_display_helpers(state) -> None:
    """Give every template (and imported macros) `display`: words and grids for people."""
    from web.services import display

    state.app.jinja_env.globals["display"] = display


from web.beneficiaries import transfer, views  # noqa: E402, F401 - attach the routes
