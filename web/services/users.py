"""Create accounts and check their credentials."""

from __future__ import annotations

from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from config import DATA_DIR
from web.extensions import db
from web.models import Territory, User
from web.models.common import ROLES, utcnow
from web.services.errors import ServiceError

MIN_PASSWORD = 12
MAX_PASSWORD = 128
COMMON_PASSWORDS_FILE = DATA_DIR / "common_passwords.txt"


def normalise_email(email: str) -> str:
    """Return the canonical form of an address, or raise ServiceError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError(
            {"email": str(_l("Invalid email address: %(error)s", error=str(exc)))}
        ) from exc


def password_problem(password: str) -> str | None:
    """Say what is wrong with a password, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return str(_l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        return str(_l("The password must be at most %(n)d characters long.", n=MAX_PASSWORD))
    if password.strip().casefold() in common_passwords():
        return str(_l("This password is too common: choose one that is harder to guess."))
    return None


@cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords (lower-case), read once per process."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def user_by_email(email: str) -> User | None:
    """Find an account by email, ignoring case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    email: str,
    password: str,
    role: str,
    *,
    full_name: str = "",
    territory_codes: tuple[str, ...] = (),
    verified: bool = True,
    locale: str = "it",
) -> User:
    """Create an account; coordinators get their territories. Raise ServiceError on bad input."""
    errors: dict[str, str] = {}
    try:
        email = normalise_email(email)
    except ServiceError as exc:
        errors.update(exc.errors)
    else:
        if user_by_email(email) is not None:
            errors["email"] = str(_l("An account with this email already exists."))
    if role not in ROLES:
        errors["role"] = str(_l("Unknown role %(role)s.", role=role))
    problem = password_problem(password)
    if problem:
        errors["password"] = problem
    territories = []
    for code in territory_codes:
        territory = db.session.scalar(
            select(Territory).where(Territory.code == code.strip().upper())
        )
        if territory is None:
            errors["territory"] = str(_l("Unknown territory %(code)s.", code=code))
        else:
            territories.append(territory)
    if role == "coordinator" and not territory_codes and "role" not in errors:
        errors["territory"] = str(_l("A coordinator needs at least one territory."))
    if errors:
        raise ServiceError(errors)
    user = User(
        email=email,
        role=role,
        full_name=full_name,
        locale=locale,
        verified_at=utcnow() if verified else None,
        territories=territories,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active account these credentials open, or None."""
    user = user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user
