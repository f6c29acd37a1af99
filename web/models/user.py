"""People who log in: admins, coordinators and tutors."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from web.extensions import db
from web.models.common import ROLES, in_set, utcnow
from web.models.territory import Territory, coordinator_territories

if TYPE_CHECKING:
    from web.models.tutor import TutorProfile


class User(UserMixin, db.Model):
    """An account; beneficiaries never have one."""

    __table_args__ = (
        CheckConstraint(in_set("role", ROLES), name="role"),
        CheckConstraint(in_set("locale", ("it", "en")), name="locale"),
        # Case-insensitive uniqueness lives in the database, not only in the code.
        Index("uq_user_email_lower", func.lower("email"), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    active: Mapped[bool] = mapped_column(default=True)
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Bumped on password change or logout-everywhere: older sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )

    territories: Mapped[list[Territory]] = relationship(
        secondary=coordinator_territories, order_by=Territory.code
    )
    tutor_profile: Mapped[TutorProfile | None] = relationship(
        back_populates="user", foreign_keys="TutorProfile.user_id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot log in
        return self.active

    def get_id(self) -> str:
        """Return the session identity; it changes when the session version does."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Store a slow hash of the password (scrypt)."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
