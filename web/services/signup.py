"""A volunteer signs up and proves they own their email address."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from web.extensions import db
from web.models import TutorProfile, User
from web.models.common import utcnow
from web.services import audit
from web.services.errors import ServiceError
from web.services.links import public_url
from web.services.notifications import notify
from web.services.tokens import VERIFY_EMAIL, make_token, read_token
from web.services.users import normalise_email, password_problem, user_by_email

MAX_NAME = 120


def check_new_password(password: str, email: str = "") -> str | None:
    """Say what is wrong with a new password (length, common, equal to the email), or None."""
    problem = password_problem(password)
    if problem is None and email and password.strip().casefold() == email.casefold():
        problem = str(_l("The password must not be your email address."))
    return problem


def sign_up(
    *, full_name: str, email: str, password: str, accepted_privacy: bool, locale: str
) -> User | None:
    """Create a tutor account and send its verification link; None when the email is taken.

    A taken address gets the same answer as a new one (strangers cannot probe who has an
    account); its owner is told by email instead.
    """
    errors: dict[str, str] = {}
    full_name = " ".join(full_name.split())
    if not full_name:
        errors["full_name"] = str(_l("Enter your name."))
    elif len(full_name) > MAX_NAME:
        errors["full_name"] = str(_l("At most %(max)d characters.", max=MAX_NAME))
    try:
        email = normalise_email(email)
    except ServiceError as exc:
        errors["email"] = exc.errors["email"]
    problem = check_new_password(password, email if "email" not in errors else "")
    if problem:
        errors["password"] = problem
    if not accepted_privacy:
        errors["accept_privacy"] = str(_l("You need to accept the privacy notice to sign up."))
    if errors:
        raise ServiceError(errors)
    locale = locale if locale in current_app.config["LANGUAGES"] else "it"
    existing = user_by_email(email)
    if existing is not None:
        tell_owner_of_signup_attempt(existing)
        return None
    user = User(email=email, role="tutor", full_name=full_name, locale=locale, verified_at=None)
    user.set_password(password)
    user.tutor_profile = TutorProfile(
        display_name=full_name,
        status="pending",
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        consent_at=utcnow(),
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone signed up with the same address a moment ago: answer as for a taken one.
        db.session.rollback()
        existing = user_by_email(email)
        if existing is not None:
            tell_owner_of_signup_attempt(existing)
        return None
    audit.record("tutor.signed_up", "user", user.id, actor_id=user.id)
    send_verification(user)
    db.session.commit()
    return user


def tell_owner_of_signup_attempt(user: User) -> None:
    """Email the owner of an address that someone tried to sign up with again."""
    notify(
        key=f"signup-again:{user.id}:{secrets.token_urlsafe(8)}",
        to=user.email,
        template="signup_existing_account",
        locale=user.locale,
        context={
            "name": user.full_name,
            "login_link": public_url("auth.login"),
            "reset_link": public_url("account.forgot_password"),
        },
        user_id=user.id,
    )
    db.session.commit()


def send_verification(user: User) -> None:
    """Add the verification email to the outbox (the caller commits)."""
    link = make_token(user, VERIFY_EMAIL)
    notify(
        key=f"verify:{user.id}:{link.nonce}",
        to=user.email,
        template="verify_email",
        locale=user.locale,
        context={
            "name": user.full_name,
            "link": public_url("account.verify_email", token=link.token),
            "hours": 48,
        },
        user_id=user.id,
    )


def resend_verification(user: User) -> bool:
    """Send a fresh verification link to an unverified account; False if already verified."""
    if user.verified_at is not None or not user.active:
        return False
    send_verification(user)
    db.session.commit()
    return True


def resend_verification_to(email: str) -> None:
    """Send a fresh link if this address has an unverified account; silent otherwise."""
    try:
        address = normalise_email(email)
    except ServiceError:
        return
    user = user_by_email(address)
    if user is not None:
        resend_verification(user)


def verify_email(token: str) -> User:
    """Mark the account of a valid verification link as verified (raises token errors)."""
    user, _ = read_token(token, VERIFY_EMAIL)
    user.verified_at = utcnow()
    audit.record("user.email_verified", "user", user.id, actor_id=user.id)
    db.session.commit()
    return user
