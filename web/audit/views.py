"""The audit log page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from web.audit.forms import AuditFilterForm
from web.beneficiaries.forms import options
from web.extensions import db
from web.services import audit_log, display
from web.services.scope import coordinator_required, visible_territories
from web.urls import requested_page

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50


@blueprint.route("")
@coordinator_required
def index():
    """List the events of my territories (all of them for admins), newest first."""
    territories = visible_territories(current_user)
    form = AuditFilterForm(request.args)
    actions = [(a, display.audit_action(a)) for a in audit_log.known_actions()]
    form.action.choices = options([("", _("All")), *actions])
    objects = [(t, display.audit_object(t)) for t in audit_log.known_object_types()]
    form.object_type.choices = options([("", _("All")), *objects])
    form.territory.choices = options([("", _("All"))] + [(t.id, t.name) for t in territories])
    context = {"form": form, "page": None, "emails": {}, "territories": territories}
    if not form.validate():
        return render_template("audit/index.html", **context), 400
    actor_id = None
    if form.actor.data:
        actor = audit_log.actor_by_email(form.actor.data)
        if actor is None:
            form.actor.errors = [_("Nobody has this email.")]
            return render_template("audit/index.html", **context), 400
        actor_id = actor.id
    query = audit_log.events_query(
        current_user,
        action=form.action.data or None,
        actor_id=actor_id,
        since=form.since.data,
        until=form.until.data,
        object_type=form.object_type.data or None,
        object_id=form.object_id.data or None,
        territory_id=int(form.territory.data) if form.territory.data else None,
    )
    page = db.paginate(query, page=requested_page(), per_page=PER_PAGE, error_out=False)
    context["page"] = page
    context["emails"] = audit_log.actor_emails({e.actor_id for e in page.items if e.actor_id})
    context["objects"] = audit_log.object_refs(page.items)
    context["territory_names"] = {t.id: t.code for t in territories}
    return render_template("audit/index.html", **context)
