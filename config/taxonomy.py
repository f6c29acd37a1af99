"""The skills taxonomy and the language list, read from data files (stdlib tomllib)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale

from config import CONFIG_DIR

TAXONOMY_FILE = CONFIG_DIR / "taxonomy.toml"

# Languages offered in forms: those of the programme's people, in ISO 639 codes that
# CLDR names (Babel renders each name in the UI language). Any CLDR code is accepted.
COMMON_LANGUAGES = (
    "it", "en", "fr", "ar", "es", "pt", "de", "ti", "am", "so", "om", "fa", "prs", "ps",
    "ur", "bn", "pa", "hi", "ta", "si", "ne", "uk", "ru", "tr", "ku", "sq", "ro", "ka",
    "wo", "ff", "bm", "ha", "yo", "ig", "ak", "ln", "sw", "mnk", "zh", "tl",
)  # fmt: skip


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message says where."""


@dataclass(frozen=True)
class Skill:
    """A skill a tutor offers and a beneficiary may need."""

    code: str
    path: str
    labels: dict[str, str]
    remote_ok: bool
    requires_document: str | None

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels["it"]


@dataclass(frozen=True)
class IntegrationPath:
    """An integration path grouping skills (housing, work, ...)."""

    code: str
    labels: dict[str, str]
    skills: tuple[Skill, ...]

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels["it"]


@dataclass(frozen=True)
class Taxonomy:
    """All paths and skills, with lookups by code."""

    version: int
    paths: tuple[IntegrationPath, ...]
    documents: dict[str, dict[str, str]]

    @property
    def skills(self) -> dict[str, Skill]:
        return {skill.code: skill for path in self.paths for skill in path.skills}


def parse_taxonomy(text: str, source: str = "taxonomy.toml") -> Taxonomy:
    """Parse and validate taxonomy TOML; raise TaxonomyError naming the bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{source}: {exc}") from exc
    documents = {doc["code"]: doc for doc in data.get("document", [])}
    seen: set[str] = set()
    paths = []
    for p_index, path in enumerate(data.get("path", []), start=1):
        where = f"{source}: path #{p_index}"
        if not {"code", "it", "en"} <= path.keys():
            raise TaxonomyError(f"{where}: needs code, it and en")
        skills = []
        for s_index, skill in enumerate(path.get("skill", []), start=1):
            here = f"{where} ({path['code']}), skill #{s_index}"
            if not {"code", "it", "en"} <= skill.keys():
                raise TaxonomyError(f"{here}: needs code, it and en")
            if skill["code"] in seen:
                raise TaxonomyError(f"{here}: duplicate code {skill['code']!r}")
            document = skill.get("requires_document")
            if document is not None and document not in documents:
                raise TaxonomyError(f"{here}: unknown document {document!r}")
            seen.add(skill["code"])
            skills.append(
                Skill(
                    code=skill["code"],
                    path=path["code"],
                    labels={"it": skill["it"], "en": skill["en"]},
                    remote_ok=bool(skill.get("remote_ok", False)),
                    requires_document=document,
                )
            )
        paths.append(
            IntegrationPath(path["code"], {"it": path["it"], "en": path["en"]}, tuple(skills))
        )
    if not seen:
        raise TaxonomyError(f"{source}: no skills defined")
    return Taxonomy(int(data.get("version", 1)), tuple(paths), documents)


@cache
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Read the taxonomy file once per process."""
    return parse_taxonomy(path.read_text(encoding="utf-8"), source=str(path))


def language_name(code: str, locale: str) -> str:
    """Name a language in the UI language, from CLDR: ("ar", "it") -> "arabo"."""
    return Locale.parse(locale).languages.get(code, code)


def known_language(code: str) -> bool:
    """Tell whether CLDR knows this language code."""
    return code in Locale.parse("en").languages


def language_choices(locale: str) -> list[tuple[str, str]]:
    """Return (code, name) pairs for forms, sorted by name in the UI language."""
    names = Locale.parse(locale).languages
    return sorted(
        ((c, names.get(c, c)) for c in COMMON_LANGUAGES), key=lambda item: item[1].casefold()
    )
