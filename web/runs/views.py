"""Matching runs per territory: run, watch progress, read KPIs, publish."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from web.extensions import db
from web.models import MatchRun, Territory
from web.runs.forms import ActionForm
from web.services import runs
from web.services.errors import ServiceError
from web.services.run_result import run_result
from web.services.scope import coordinator_required, get_in_scope_or_404, visible_territories

blueprint = Blueprint("runs", __name__, url_prefix="/runs")
PHASE_LABELS = ("loading", "candidates", "scoring", "assignment", "saving")


def territory_in_scope(territory_id: int) -> Territory:
    """Load a territory the coordinator works on, or 404 (audited)."""
    return get_in_scope_or_404(Territory, territory_id, lambda t: t.id)


def run_in_scope(run_id: int) -> MatchRun:
    """Load a run of one of the coordinator's territories, or 404 (audited)."""
    return get_in_scope_or_404(MatchRun, run_id, lambda r: r.territory_id)


@blueprint.route("/")
@coordinator_required
def index():
    """List the coordinator's territories with their latest run."""
    territories = visible_territories(current_user)
    latest = {
        t.id: db.session.scalar(
            select(MatchRun).where(MatchRun.territory_id == t.id).order_by(MatchRun.id.desc())
        )
        for t in territories
    }
    return render_template("runs/index.html", territories=territories, latest=latest)


@blueprint.route("/territory/<int:territory_id>")
@coordinator_required
def territory(territory_id: int):
    """Show a territory's runs and the button to start one."""
    place = territory_in_scope(territory_id)
    history = db.session.scalars(
        select(MatchRun)
        .where(MatchRun.territory_id == place.id)
        .order_by(MatchRun.id.desc())
        .limit(30)
    ).all()
    return render_template("runs/territory.html", territory=place, runs=history, form=ActionForm())


@blueprint.route("/territory/<int:territory_id>", methods=["POST"])
@coordinator_required
def start(territory_id: int):
    """Queue a dry run for the territory and show its progress."""
    place = territory_in_scope(territory_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = runs.start_run(place, current_user.id)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("runs.territory", territory_id=place.id))
    return redirect(url_for("runs.show", run_id=run.id))


@blueprint.route("/<int:run_id>")
@coordinator_required
def show(run_id: int):
    """Show a run: a progress bar while it works, then KPIs, the proposed pairs, the unmatched."""
    run = run_in_scope(run_id)
    stats = run.stats or {}
    return render_template(
        "runs/show.html",
        run=run,
        kpis=stats.get("kpis") or {},
        result=run_result(run, request.args.get("page", 1, type=int)),
        seconds=stats.get("seconds") or {},
        phases=PHASE_LABELS,
        form=ActionForm(),
        today=date.today(),
    )


@blueprint.route("/<int:run_id>/progress")
@coordinator_required
def progress(run_id: int):
    """Report a run's status, phase and progress as JSON (polled by the run page)."""
    run = run_in_scope(run_id)
    return jsonify(
        status=run.status,
        phase=run.phase,
        progress=run.progress,
        finished=run.status not in runs.ACTIVE_STATUSES,
    )


@blueprint.route("/<int:run_id>/publish", methods=["POST"])
@coordinator_required
def publish(run_id: int):
    """Turn a finished dry run into proposals (publishing twice changes nothing)."""
    run = run_in_scope(run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        counts = runs.publish_run(run)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("runs.show", run_id=run.id))
    if counts["already"]:
        flash(_("This run was already published."), "info")
    else:
        published = ngettext(
            "%(num)d proposal published.", "%(num)d proposals published.", counts["created"]
        )
        if counts["skipped"]:
            published += " " + ngettext(
                "%(num)d skipped because the data changed.",
                "%(num)d skipped because the data changed.",
                counts["skipped"],
            )
        flash(published, "success")
    return redirect(url_for("proposals.review", territory_id=run.territory_id))
