"""Look after an account: reset or change the password, change the email, end sessions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from web.extensions import db
from web.models import Notification, User
from web.models.common import utcnow
from web.services import audit
from web.services.errors import ServiceError
from web.services.links import public_url
from web.services.notifications import notify
from web.services.signup import check_new_password
from web.services.tokens import (
    CHANGE_EMAIL,
    RESET_PASSWORD,
    TokenInvalid,
    make_token,
    read_token,
)
from web.services.users import normalise_email, user_by_email


def request_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address; silent otherwise."""
    try:
        address = normalise_email(email)
    except ServiceError:
        return
    user = user_by_email(address)
    if user is None or not user.active or not user.password_hash:
        return
    link = make_token(user, RESET_PASSWORD)
    notify(
        key=f"reset:{user.id}:{link.nonce}",
        to=user.email,
        template="reset_password",
        locale=user.locale,
        context={
            "name": user.full_name,
            "link": public_url("account.reset_password", token=link.token),
            "minutes": 60,
        },
        user_id=user.id,
    )
    db.session.commit()


def check_reset_token(token: str) -> User:
    """Return the account a reset link is for (raises TokenInvalid / TokenExpired)."""
    user, _ = read_token(token, RESET_PASSWORD)
    if not user.active:
        raise TokenInvalid
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; every open session of the account ends."""
    user = check_reset_token(token)
    problem = check_new_password(password, user.email)
    if problem:
        raise ServiceError({"password": problem})
    user.set_password(password)
    user.session_version += 1
    if user.verified_at is None:  # the link reached their mailbox: the address is theirs
        user.verified_at = utcnow()
    audit.record("user.password_reset", "user", user.id, actor_id=user.id)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change the password after checking the current one; other sessions end."""
    if not user.check_password(current):
        raise ServiceError({"current_password": str(_l("The current password is not right."))})
    problem = check_new_password(new, user.email)
    if problem:
        raise ServiceError({"new_password": problem})
    user.set_password(new)
    user.session_version += 1
    audit.record("user.password_changed", "user", user.id, actor_id=user.id)
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    """End every session of the account, on every device."""
    user.session_version += 1
    audit.record("user.signed_out_everywhere", "user", user.id, actor_id=user.id)
    db.session.commit()


def request_email_change(user: User, password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the email changes when it is clicked."""
    errors: dict[str, str] = {}
    if not user.check_password(password):
        errors["password"] = str(_l("The password is not right."))
    try:
        address = normalise_email(new_email)
    except ServiceError as exc:
        errors["email"] = exc.errors["email"]
    else:
        if address == user.email.lower():
            errors["email"] = str(_l("This is already your email address."))
    if errors:
        raise ServiceError(errors)
    if user_by_email(address) is not None:
        return  # taken: answer as if sent, so the form cannot probe who has an account
    link = make_token(user, CHANGE_EMAIL)
    # The new address lives in the outbox row of the link, never in the link itself (no PII
    # in URLs); opening the link proves the person controls that mailbox.
    notify(
        key=email_change_key(user.id, link.nonce),
        to=address,
        template="email_change_verify",
        locale=user.locale,
        context={
            "name": user.full_name,
            "link": public_url("account.confirm_email", token=link.token),
            "hours": 24,
        },
        user_id=user.id,
    )
    audit.record("user.email_change_requested", "user", user.id, actor_id=user.id)
    db.session.commit()


def email_change_key(user_id: int, nonce: str) -> str:
    """Return the idempotency key of an email-change link's notification."""
    return f"email-change:{user_id}:{nonce}"


def confirm_email_change(token: str) -> User:
    """Switch the account to the address the link was sent to (raises token errors)."""
    user, payload = read_token(token, CHANGE_EMAIL)
    nonce = payload.get("n")
    sent = db.session.scalar(
        select(Notification).where(
            Notification.idempotency_key == email_change_key(user.id, str(nonce)),
            Notification.recipient_user_id == user.id,
        )
    )
    if sent is None:
        raise TokenInvalid
    if user_by_email(sent.recipient_email) is not None:
        raise ServiceError({"email": str(_l("This address is now used by another account."))})
    old = user.email
    user.email = sent.recipient_email
    user.verified_at = utcnow()
    user.session_version += 1
    audit.record("user.email_changed", "user", user.id, actor_id=user.id)
    notify(
        key=f"email-changed:{user.id}:{nonce}",
        to=old,
        template="email_changed_notice",
        locale=user.locale,
        context={"name": user.full_name},
        user_id=user.id,
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(
            {"email": str(_l("This address is now used by another account."))}
        ) from None
    return user
