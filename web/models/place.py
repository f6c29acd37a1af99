"""Gazetteer of Italian municipalities, loaded from an offline data file."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from web.extensions import db


class Place(db.Model):
    """A municipality (comune): location is kept at this level only."""

    __table_args__ = (Index("ix_place_search_key_population", "search_key", "population"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    istat_code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Lower-case ASCII form of the name ("citta di castello") for accent-insensitive search.
    search_key: Mapped[str] = mapped_column(String(120))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    province_name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="IT")
    lat: Mapped[float]
    lon: Mapped[float]
    population: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        """Return the name a person recognises: "Fidenza (PR)"."""
        return f"{self.name} ({self.province_code})"
