"""Tutor Match web application: create_app reads as a list of named steps."""

from __future__ import annotations

import logging

from flask import Flask, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from config.settings import Config, ProductionConfig, config_from_env


def create_app(config: type[Config] | None = None) -> Flask:
    """Build the Flask app for the given settings class (APP_ENV picks one by default)."""
    config = config or config_from_env()
    if issubclass(config, ProductionConfig):
        config.check()
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR))
    app.config.from_object(config)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log to stderr at INFO; personal data never goes into log messages."""
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def select_locale() -> str:
    """Pick the UI language: the user's choice, then the browser's, Italian by default."""
    languages = Config.LANGUAGES
    if not has_request_context():
        return "it"  # CLI and tasks: Italian unless force_locale says otherwise
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default="it")


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from web import models  # noqa: F401 - register the models with the metadata
    from web.extensions import (
        babel,
        celery,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        render_migration_type,
    )
    from web.services.tasks import resolve_task_mode

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(app.root_path + "/migrations"),
        render_as_batch=True,
        render_item=render_migration_type,
        compare_type=True,
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.localize_callback = str  # translate when flashed, in the visitor's language
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    celery.init_app(app)
    resolve_task_mode(app)

    from web.auth.session import load_user

    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per feature."""
    from web.account.views import blueprint as account
    from web.admin_notifications.views import blueprint as admin_notifications
    from web.audit.views import blueprint as audit
    from web.auth.views import blueprint as auth
    from web.beneficiaries import blueprint as beneficiaries
    from web.dashboard.views import blueprint as dashboard
    from web.email_prefs.views import blueprint as email_prefs
    from web.follow.views import blueprint as follow
    from web.main.views import blueprint as main
    from web.proposals.views import blueprint as proposals
    from web.runs.views import blueprint as runs
    from web.territories.views import blueprint as territories
    from web.tutors.views import blueprint as tutors
    from web.urls import DatabaseIdConverter
    from web.vetting.views import blueprint as vetting

    app.url_map.converters["int"] = DatabaseIdConverter  # before any rule uses it
    app.register_blueprint(main)
    app.register_blueprint(auth)
    app.register_blueprint(admin_notifications)
    app.register_blueprint(email_prefs)
    app.register_blueprint(account)
    app.register_blueprint(tutors)
    app.register_blueprint(vetting)
    app.register_blueprint(beneficiaries)
    app.register_blueprint(audit)
    app.register_blueprint(dashboard)
    app.register_blueprint(runs)
    app.register_blueprint(proposals)
    app.register_blueprint(follow)
    app.register_blueprint(territories)


def register_errorhandlers(app: Flask) -> None:
    """Render errors as pages in the user's language (JSON for JSON clients)."""
    from web.main.errors import handle_http_error

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handle_http_error)


def register_template_helpers(app: Flask) -> None:
    """Expose helpers that every template uses."""
    from flask_babel import get_locale

    from web.services import bidi, form_errors, formats

    app.jinja_env.globals["form_problems"] = form_errors.problems  # imported macros see it
    app.jinja_env.filters["isolate"] = bidi.isolate  # left-to-right data inside Arabic emails
    for name in ("day", "moment", "number", "percent", "km"):  # dates, times, numbers: one place
        app.jinja_env.filters[name] = getattr(formats, name)

    @app.context_processor
    def inject_locale() -> dict:
        return {"current_locale": str(get_locale()), "ui_languages": Config.LANGUAGES}


def register_commands(app: Flask) -> None:
    """Add the project's flask CLI commands."""
    from web.cli import register

    register(app)
