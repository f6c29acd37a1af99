"""Outbox list, one email as sent, retry, template previews, and the dev mailbox."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web.admin_notifications.forms import NotificationFilterForm, TestEmailForm
from web.extensions import db
from web.models import Notification
from web.services import audit, notifications
from web.services.email_render import (
    EMAIL_LANGUAGES,
    email_templates,
    render_notification,
    render_preview,
)
from web.services.errors import ServiceError
from web.urls import requested_page

blueprint = Blueprint("admin_notifications", __name__)
PREVIEW_LANGUAGES = (*EMAIL_LANGUAGES, "other")
# The rendered email is shown in a sandboxed frame: no scripts, no requests, inline styles only.
# It keeps our origin (never with scripts) so that the page can size the frame to the email.
EMAIL_FRAME_POLICY = (
    "sandbox allow-same-origin; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
)


def require_admin() -> None:
    """Let only admins through."""
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


def require_mailbox() -> None:
    """Show the dev mailbox only without SMTP, and only to admins: it holds people's addresses."""
    if current_app.config["MAIL_SERVER"]:
        abort(404)
    require_admin()


def framed(html: str):
    """Return an email's HTML for a sandboxed frame."""
    response = current_app.make_response(html)
    response.headers["Content-Security-Policy"] = EMAIL_FRAME_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def rendered_or_error(notification: Notification):
    """Render a notification as it is sent, or say why it cannot be."""
    try:
        return render_notification(notification), None
    except Exception as exc:  # a missing or broken template must not break the page
        return None, f"{exc.__class__.__name__}: {exc}"


@blueprint.route("/admin/notifications")
@login_required
def index():
    """List emails with filters, newest first."""
    require_admin()
    form = NotificationFilterForm(request.args)
    criteria = notifications.NotificationFilter()
    if form.validate():
        criteria = notifications.NotificationFilter(
            form.status.data or "", form.template.data or "", form.recipient.data or ""
        )
    page = db.paginate(
        notifications.notifications_query(criteria),
        page=requested_page(),
        per_page=50,
        error_out=False,
    )
    return render_template(
        "admin_notifications/index.html",
        form=form,
        page=page,
        counts=notifications.status_counts(),
        templates=notifications.template_names(),
        test_form=TestEmailForm(),
    )


@blueprint.route("/admin/notifications/<int:notification_id>")
@login_required
def show(notification_id: int):
    """Show one email as its recipient gets it, with its delivery record."""
    require_admin()
    notification = db.get_or_404(Notification, notification_id)
    rendered, error = rendered_or_error(notification)
    audit.record("notification.viewed", "notification", notification.id)
    db.session.commit()
    return render_template(
        "admin_notifications/show.html",
        notification=notification,
        rendered=rendered,
        error=error,
        html_url=url_for(".html", notification_id=notification.id),
        back_url=url_for(".index"),
    )


@blueprint.route("/admin/notifications/<int:notification_id>/html")
@login_required
def html(notification_id: int):
    """Return one email's HTML part, for the sandboxed frame."""
    require_admin()
    notification = db.get_or_404(Notification, notification_id)
    rendered, error = rendered_or_error(notification)
    return framed(rendered.html if rendered else error or "")


@blueprint.route("/admin/notifications/<int:notification_id>/retry", methods=["POST"])
@login_required
def retry(notification_id: int):
    """Send a failed email again."""
    require_admin()
    try:
        notifications.retry(notification_id)
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The email is queued again."), "success")
    return redirect(url_for(".show", notification_id=notification_id))


@blueprint.route("/admin/notifications/test", methods=["POST"])
@login_required
def send_test():
    """Queue a test email to check the mail set-up."""
    require_admin()
    form = TestEmailForm()
    if form.validate_on_submit():
        notifications.send_test_email(form.to.data, current_user.locale)
        flash(_("Test email queued."), "success")
    else:
        for error in form.to.errors:
            flash(error, "error")
    return redirect(url_for(".index"))


@blueprint.route("/admin/notifications/preview")
@login_required
def previews():
    """List every email template with a preview link per language."""
    require_admin()
    return render_template(
        "admin_notifications/previews.html",
        templates=email_templates(),
        languages=PREVIEW_LANGUAGES,
    )


def _preview_or_404(template: str, language: str):
    if template not in email_templates() or language not in PREVIEW_LANGUAGES:
        abort(404)
    return render_preview(template, language)


@blueprint.route("/admin/notifications/preview/<template>/<language>")
@login_required
def preview(template: str, language: str):
    """Show an email with sample data in one language."""
    require_admin()
    rendered = _preview_or_404(template, language)
    return render_template(
        "admin_notifications/preview.html",
        template=template,
        language=language,
        rendered=rendered,
        html_url=url_for(".preview_html", template=template, language=language),
    )


@blueprint.route("/admin/notifications/preview/<template>/<language>/html")
@login_required
def preview_html(template: str, language: str):
    """Return a preview's HTML part, for the sandboxed frame."""
    require_admin()
    return framed(_preview_or_404(template, language).html)


@blueprint.route("/dev/mailbox")
def mailbox():
    """List every email the app wrote (development without SMTP)."""
    require_mailbox()
    page = db.paginate(
        notifications.notifications_query(notifications.NotificationFilter()),
        page=requested_page(),
        per_page=50,
        error_out=False,
    )
    return render_template("admin_notifications/mailbox.html", page=page)


@blueprint.route("/dev/mailbox/<int:notification_id>")
def mailbox_message(notification_id: int):
    """Show one email of the dev mailbox."""
    require_mailbox()
    notification = db.get_or_404(Notification, notification_id)
    rendered, error = rendered_or_error(notification)
    return render_template(
        "admin_notifications/show.html",
        notification=notification,
        rendered=rendered,
        error=error,
        html_url=url_for(".mailbox_html", notification_id=notification.id),
        back_url=url_for(".mailbox"),
        mailbox=True,
    )


@blueprint.route("/dev/mailbox/<int:notification_id>/html")
def mailbox_html(notification_id: int):
    """Return one dev-mailbox email's HTML part, for the sandboxed frame."""
    require_mailbox()
    notification = db.get_or_404(Notification, notification_id)
    rendered, error = rendered_or_error(notification)
    return framed(rendered.html if rendered else error or "")
