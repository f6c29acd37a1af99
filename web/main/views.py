"""Landing page, home, health check, place autocomplete and language switch."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from config.settings import Config
from web.auth.views import safe_next
from web.extensions import db, limiter
from web.services.health import health
from web.services.places import search_places

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
def index():
    """Explain what a Territorial Tutor does and invite people to sign up."""
    return render_template("main/index.html")


@blueprint.route("/home")
@login_required
def home():
    """Send each person to the page where their next decision is."""
    return render_template("main/home.html")


@blueprint.route("/healthz")
@limiter.exempt
def healthz():
    """Report database, Redis and worker state as JSON; 503 when the service is down."""
    report, serving = health()
    return jsonify(report), 200 if serving else 503


@blueprint.route("/places")
@limiter.limit("120 per minute")
def places():
    """Return up to 10 municipalities whose name starts with ?q= (autocomplete)."""
    query = request.args.get("q", "")
    if len(query) > 100:
        return jsonify(error=_("The search text is too long (at most 100 characters).")), 400
    results = search_places(query) if len(query.strip()) >= 2 else []
    return jsonify(
        [
            {
                "id": place.id,
                "istat_code": place.istat_code,
                "name": place.name,
                "province_code": place.province_code,
                "region": place.region,
                "label": place.label,
            }
            for place in results
        ]
    )


@blueprint.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the UI language and go back where the person was."""
    if code not in Config.LANGUAGES:
        return redirect(url_for("main.index"))
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))
