"""Import beneficiaries from CSV/XLSX (upload, preview, confirm) and export them."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import DataRequired, Optional

from web.beneficiaries import blueprint
from web.beneficiaries.forms import options
from web.forms import AppForm
from web.services import import_store
from web.services.beneficiary_import import (
    COLUMNS,
    check_table,
    import_rows,
    recheck,
    template_csv,
    template_xlsx,
)
from web.services.exports import export_territory
from web.services.scope import coordinator_required, visible_territories
from web.services.spreadsheets import CSV_MIME, XLSX_MIME, TableError, read_table


class UploadForm(AppForm):
    """The file to check."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmForm(AppForm):
    """Confirm the import of a checked file."""

    token = HiddenField(validators=[DataRequired()])
    consent = BooleanField(
        _l("Every person in the file gave consent after reading the privacy notice"),
        validators=[DataRequired(_l("Consent is required to register people."))],
    )
    skip_bad_rows = BooleanField(_l("Import the valid rows and leave out the rows with errors"))


class ExportForm(AppForm):
    """What to export (GET, no CSRF)."""

    class Meta:
        csrf = False

    table = SelectField(
        _l("What"),
        choices=options([("beneficiaries", _l("Beneficiaries")), ("matches", _l("Matches"))]),
    )
    territory = SelectField(_l("Territory"), validators=[Optional()])
    format = SelectField(_l("Format"), choices=options([("xlsx", "XLSX"), ("csv", "CSV")]))


def download(content: bytes, filename: str, file_format: str) -> Response:
    """Send a file as an attachment that no cache keeps."""
    response = Response(content, mimetype=XLSX_MIME if file_format == "xlsx" else CSV_MIME)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/import", methods=["GET", "POST"])
@coordinator_required
def import_upload():
    """Upload a file and check it; nothing is written yet."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        raw = upload.read()
        try:
            table = read_table(upload.filename or "", raw, current_app.config["IMPORT_MAX_ROWS"])
        except TableError as error:
            form.file.errors = [*form.file.errors, str(error)]
        else:
            check = check_table(table, current_user)
            import_store.save(check, current_user.id, upload.filename or "")
            return redirect(url_for("beneficiaries.import_preview"))
    status = 400 if form.is_submitted() else 200
    return render_template("beneficiaries/import.html", form=form, columns=COLUMNS), status


@blueprint.route("/import/template.<any(csv, xlsx):file_format>")
@coordinator_required
def import_template(file_format: str):
    """Download the template: header row and one example."""
    content = template_xlsx() if file_format == "xlsx" else template_csv()
    return download(content, "beneficiaries_template", file_format)


@blueprint.route("/import/preview", methods=["GET", "POST"])
@coordinator_required
def import_preview():
    """Show every row that would be created and every error; import on confirmation."""
    token = request.form.get("token") if request.method == "POST" else None
    token = token or session.get(import_store.SESSION_KEY)
    stored = import_store.load(token, current_user.id)
    if stored is None:
        flash(_("The checked file is no longer available: upload it again."), "error")
        return redirect(url_for("beneficiaries.import_upload"))
    check, filename = stored
    form = ConfirmForm(token=token)
    status = 200
    if form.validate_on_submit():
        fresh = recheck(check.rows)
        has_errors = bool(check.errors or fresh.errors)
        if not fresh.rows:
            flash(_("There is no valid row to import."), "error")
            status = 400
        elif has_errors and not form.skip_bad_rows.data:
            form.skip_bad_rows.errors = [
                _(
                    "The file has errors: fix them and upload again, or tick this box to "
                    "import only the valid rows."
                )
            ]
            check.errors += fresh.errors
            status = 400
        else:
            created = import_rows(fresh.rows, current_user)
            import_store.discard(token)
            flash(
                ngettext("%(num)d person imported.", "%(num)d people imported.", len(created)),
                "success",
            )
            return redirect(url_for("beneficiaries.index"))
    elif form.is_submitted():
        status = 400
    return render_template(
        "beneficiaries/preview.html", form=form, check=check, filename=filename
    ), status


@blueprint.route("/import/cancel", methods=["POST"])
@coordinator_required
def import_cancel():
    """Forget a checked file without importing it."""
    import_store.discard(request.form.get("token"))
    flash(_("Import cancelled: nothing was saved."), "info")
    return redirect(url_for("beneficiaries.import_upload"))


@blueprint.route("/export")
@coordinator_required
def export():
    """Choose and download an export of my territories (audited)."""
    territories = visible_territories(current_user)
    form = ExportForm(request.args)
    form.territory.choices = options(
        [("", _("All my territories"))] + [(t.id, t.name) for t in territories]
    )
    if "format" not in request.args:
        return render_template("beneficiaries/export.html", form=form)
    if not form.validate():
        return render_template("beneficiaries/export.html", form=form), 400
    territory_id = int(form.territory.data) if form.territory.data else None
    content = export_territory(current_user, territory_id, form.table.data, form.format.data)
    return download(content, form.table.data, form.format.data)
