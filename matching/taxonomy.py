"""Read the skills taxonomy (config/taxonomy.toml): skill codes, remote help, documents."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
TAXONOMY_FILE = CONFIG_DIR / "taxonomy.toml"


@dataclass(frozen=True)
class Skill:
    """One skill a tutor offers and a beneficiary may need."""

    code: str
    path: str
    remote_ok: bool
    requires_document: str | None
    it: str = ""
    en: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """The skills and the documents some needs require."""

    skills: tuple[Skill, ...]
    documents: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Skill codes in file order."""
        return tuple(skill.code for skill in self.skills)

    @property
    def remote_ok(self) -> frozenset[str]:
        """Skills that can be helped with at a distance."""
        return frozenset(skill.code for skill in self.skills if skill.remote_ok)

    @property
    def requires_document(self) -> dict[str, str]:
        """Skill code -> document code the tutor must hold, for the skills that need one."""
        return {s.code: s.requires_document for s in self.skills if s.requires_document}

    @property
    def italian_skills(self) -> frozenset[str]:
        """Skills of the Italian-language path (they make the tutor's Italian count)."""
        return frozenset(skill.code for skill in self.skills if skill.path == "italian")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read the taxonomy TOML file (config/taxonomy.toml by default)."""
    return _load(str(Path(path).resolve()) if path else str(TAXONOMY_FILE))


@cache
def _load(path: str) -> Taxonomy:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    skills: list[Skill] = []
    for group in data.get("path", []):
        for entry in group.get("skill", []):
            skills.append(
                Skill(
                    code=str(entry["code"]),
                    path=str(group["code"]),
                    remote_ok=bool(entry.get("remote_ok", False)),
                    requires_document=entry.get("requires_document"),
                    it=str(entry.get("it", "")),
                    en=str(entry.get("en", "")),
                )
            )
    documents = tuple(str(doc["code"]) for doc in data.get("document", []))
    codes = [skill.code for skill in skills]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: duplicate skill codes")
    return Taxonomy(skills=tuple(skills), documents=documents)
