"""The vocabularies shown to people: each code with its label (display.py names them).

One map per vocabulary; the model's value tuples (web/models) and the services' codes are
the keys. tests/web/test_labels.py checks that every value has an Italian and English label.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

GENDER_LABELS = {"f": _l("Woman"), "m": _l("Man"), "x": _l("Other / non-binary")}
PRIORITY_LABELS = {1: _l("Low"), 2: _l("Medium"), 3: _l("High")}
# CEFR levels are international codes: only "native" is a word.
LEVEL_LABELS = {
    "A1": "A1",
    "A2": "A2",
    "B1": "B1",
    "B2": "B2",
    "C1": "C1",
    "C2": "C2",
    "native": _l("native"),
}
BENEFICIARY_STATUS_LABELS = {
    "waiting": _l("Waiting"),
    "matched": _l("Has a tutor"),
    "closed": _l("Closed"),
}
MATCH_STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "approved": _l("Approved"),
    "active": _l("Active"),
    "ended": _l("Ended"),
    "rejected": _l("Rejected"),
    "declined": _l("Declined"),
    "superseded": _l("Superseded"),
}
TUTOR_STATUS_LABELS = {
    "pending": _l("To be vetted"),
    "active": _l("Available"),
    "paused": _l("Paused"),
    "withdrawn": _l("Left the programme"),
    "declined": _l("Not accepted"),
}
RUN_STATUS_LABELS = {
    "queued": _l("queued"),
    "running": _l("running"),
    "done": _l("ready to publish"),
    "failed": _l("failed"),
    "published": _l("published"),
}
RUN_PHASE_LABELS = {
    "queued": _l("Waiting for a worker"),
    "loading": _l("Loading tutors and beneficiaries"),
    "encode": _l("Preparing the data"),
    "candidates": _l("Finding candidates nearby"),
    "scoring": _l("Scoring pairs"),
    "pruning": _l("Keeping the best candidates"),
    "assignment": _l("Choosing the best assignment"),
    "explain": _l("Writing the reasons"),
    "saving": _l("Saving the results"),
}
NOTIFICATION_STATUS_LABELS = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Could not be sent"),
    "cancelled": _l("Cancelled"),
}
# Why an email was cancelled (Notification.cancel_reason).
CANCEL_REASON_LABELS = {
    "opted_out": _l("the person opted out of reminders and summaries"),
    "demo_history": _l("demo history, never sent"),
    "recipient_erased": _l("the account was erased"),
}
ROLE_LABELS = {"admin": _l("Administrator"), "coordinator": _l("Coordinator"), "tutor": _l("Tutor")}
# Why a coordinator rejects a proposal (Match.decision_reason_code).
DECISION_REASON_LABELS = {
    "language": _l("Language or communication"),
    "distance": _l("Too far or hard to reach"),
    "availability": _l("Times do not fit"),
    "needs": _l("The tutor cannot help with the main needs"),
    "personal": _l("Personal or safety reasons"),
    "known": _l("They already know each other"),
    "other": _l("Other"),
}
# How a match ended (Match.outcome).
OUTCOME_LABELS = {
    "goals_reached": _l("Goals reached"),
    "partly_reached": _l("Goals partly reached"),
    "beneficiary_withdrew": _l("The beneficiary withdrew"),
    "tutor_withdrew": _l("The tutor withdrew"),
    "moved_away": _l("Moved away"),
    "not_working": _l("The pair did not work"),
    "other": _l("Other"),
}
# Audit event actions (web/services/audit.record); match_<status> comes from decisions.release.
AUDIT_ACTION_LABELS = {
    "access_denied": _l("Access refused (other territory)"),
    "beneficiary.erased": _l("Beneficiary's data erased"),
    "close": _l("Record closed"),
    "create": _l("Record created"),
    "export": _l("Data exported"),
    "import": _l("Beneficiaries imported"),
    "update": _l("Record changed"),
    "view": _l("Record viewed"),
    "match.accepted_by_tutor": _l("Match accepted by the tutor"),
    "match.declined_by_tutor": _l("Match declined by the tutor"),
    "match.ended": _l("Match ended (the tutor left)"),
    "match_approved": _l("Proposal approved"),
    "match_declined": _l("Match declined"),
    "match_ended": _l("Match ended"),
    "match_manual": _l("Matched by hand"),
    "match_rejected": _l("Proposal rejected"),
    "match_viewed": _l("Match viewed"),
    "match_run_published": _l("Matching run published"),
    "match_run_started": _l("Matching run started"),
    "meeting_logged": _l("Meeting logged"),
    "territory.settings_changed": _l("Territory settings changed"),
    "notification.opt_in": _l("Reminders turned back on"),
    "notification.opt_out": _l("Reminders turned off"),
    "notification.retry": _l("Email sent again"),
    "notification.test": _l("Test email sent"),
    "notification.viewed": _l("Email viewed"),
    "tutor.approved": _l("Tutor approved"),
    "tutor.declined": _l("Tutor not accepted"),
    "tutor.paused": _l("Tutor paused"),
    "tutor.profile_saved": _l("Tutor profile saved"),
    "tutor.resumed": _l("Tutor available again"),
    "tutor.signed_up": _l("Tutor signed up"),
    "tutor.view_denied": _l("Access to a tutor refused"),
    "tutor.viewed": _l("Tutor viewed"),
    "tutor.withdrawn": _l("Tutor left the programme"),
    "user.data_exported": _l("Own data downloaded"),
    "user.email_change_requested": _l("Email change requested"),
    "user.email_changed": _l("Email address changed"),
    "user.email_verified": _l("Email address confirmed"),
    "user.erased": _l("Account erased"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "user.signed_out_everywhere": _l("Signed out everywhere"),
}
# What an audit event is about (its object_type).
AUDIT_OBJECT_LABELS = {
    "beneficiary": _l("Beneficiary"),
    "funder_report": _l("Funder report"),
    "match": _l("Match"),
    "match_run": _l("Matching run"),
    "notification": _l("Email"),
    "territory": _l("Territory"),
    "tutor": _l("Tutor"),
    "user": _l("Account"),
}
# The emails the service sends (templates/email/<name>.subject.txt).
EMAIL_LABELS = {
    "coordinator_digest": _l("Weekly summary (coordinators)"),
    "email_change_verify": _l("Confirm a new email address"),
    "email_changed_notice": _l("Email address changed (notice to the old one)"),
    "match_answer_to_coordinator": _l("The tutor answered a match (coordinators)"),
    "match_approved_beneficiary": _l("You have a tutor (beneficiary)"),
    "match_approved_tutor": _l("New match (tutor)"),
    "match_ended_beneficiary": _l("The match has ended (beneficiary)"),
    "match_ended_tutor": _l("The match has ended (tutor)"),
    "reset_password": _l("Password reset"),
    "signup_existing_account": _l("Sign-up with an address already registered"),
    "test_message": _l("Test email"),
    "tutor_approved": _l("Tutor approved"),
    "tutor_declined": _l("Tutor not accepted"),
    "tutor_left_to_beneficiary": _l("The tutor cannot go on (beneficiary)"),
    "tutor_left_to_coordinator": _l("A tutor left (coordinators)"),
    "tutor_meeting_reminder": _l("Meeting reminder (tutor)"),
    "verify_email": _l("Confirm the email address"),
}
