"""Dashboard with charts, and the funder report (page, XLSX, CSV)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from web.beneficiaries.transfer import download
from web.dashboard.forms import PeriodForm
from web.services import reports
from web.services.scope import coordinator_required, visible_territories

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def optional_url(endpoint: str, **values) -> str | None:
    """Link to another feature's page when it is installed."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@blueprint.route("")
@coordinator_required
def index():
    """Show waiting, proposed, active and ended people, speed, capacity and coverage."""
    parts, total = reports.dashboard(current_user)

    charts = {
        "waiting": [(p.code, p.waiting) for p in parts],
        "capacity": [(p.code, p.capacity_used) for p in parts],
        "coverage": [(p.code, p.coverage) for p in parts],
    }
    return render_template(
        "dashboard/index.html",
        parts=parts,
        total=total,
        charts=charts,
        proposals_url=optional_url("runs.index"),  # each territory's proposals to review
        territories=visible_territories(current_user),  # links to each one's settings
    )


@blueprint.route("/report")
@coordinator_required
def report():
    """Show or download the funder report for a period."""
    form = PeriodForm(request.args if request.args else None, data=PeriodForm.default_period())
    if request.args and not form.validate():
        return render_template("dashboard/report.html", form=form, rows=None), 400
    since, until = form.since.data, form.until.data
    if form.format.data in ("csv", "xlsx"):
        content = reports.funder_file(current_user, since, until, form.format.data)
        name = f"funder_report_{since.isoformat()}_{until.isoformat()}"
        return download(content, name, form.format.data)
    rows = reports.funder_report(current_user, since, until)
    return render_template("dashboard/report.html", form=form, rows=rows)
