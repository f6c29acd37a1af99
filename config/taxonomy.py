"""The skills taxonomy and the language list, read from data files (stdlib tomllib)."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import langcodes
from babel import Locale
from language_data.names import code_to_names

from config import CONFIG_DIR

TAXONOMY_FILE = CONFIG_DIR / "taxonomy.toml"
LANGUAGE_NAMES_FILE = CONFIG_DIR / "language_names.toml"

# Languages offered in forms: those of the programme's people, in ISO 639 codes, each named
# in the UI language by language_name. Any code CLDR knows is accepted as well.
COMMON_LANGUAGES = (
    "it", "en", "fr", "ar", "es", "pt", "de", "ti", "am", "so", "om", "fa", "prs", "ps",
    "ur", "bn", "pa", "hi", "ta", "si", "ne", "uk", "ru", "tr", "ku", "sq", "ro", "ka",
    "wo", "ff", "bm", "ha", "yo", "ig", "ak", "ln", "sw", "mnk", "zh", "tl",
)  # fmt: skip
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


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


@cache
def _own_language_names() -> dict[str, dict[str, str]]:
    """Read the names the libraries lack (config/language_names.toml)."""
    return tomllib.loads(LANGUAGE_NAMES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def language_name(code: str, locale: str) -> str:
    """Name a language in the UI language: ("ar", "it") -> "arabo", ("prs", "it") -> "dari".

    CLDR (Babel) first, also under the tag langcodes gives the code ("prs" is "fa-AF",
    which CLDR calls Dari); then language-data's names; then our own file; then English;
    the code itself only for a code nobody knows. All of it is installed data: no network.
    """
    cldr = Locale.parse(locale).languages
    try:
        tag = langcodes.standardize_tag(code).replace("-", "_")
    except ValueError:  # not a language tag at all
        tag = code
    found = cldr.get(code) or cldr.get(tag)
    if found:
        return found
    names = code_to_names(code)
    own = _own_language_names().get(code, {})
    return names.get(locale) or own.get(locale) or names.get("en") or own.get("en") or code


def known_language(code: str) -> bool:
    """Tell whether a language code is offered or known to CLDR."""
    return code in COMMON_LANGUAGES or code in Locale.parse("en").languages


@lru_cache(maxsize=4096)
def language_code(text: str) -> str | None:
    """Read a language as people write it: "ar", "ara", "arabo", "Arabic" -> "ar" (None if unknown).

    A two- or three-letter ISO 639 code first, then a language name in any language CLDR and
    language-data know (langcodes.find); "dari" or "prs" give the programme's "prs".
    """
    cleaned = " ".join(text.split())
    tag = None
    if LANGUAGE_TAG.fullmatch(cleaned):
        try:
            tag = langcodes.get(cleaned.lower())
        except (ValueError, LookupError):
            tag = None
        if tag is not None and not tag.is_valid():
            tag = None
    if tag is None and cleaned:
        try:
            tag = langcodes.find(cleaned)
        except LookupError:
            return None
    if tag is None:
        return None
    code = _programme_codes().get(str(tag), tag.language or "")
    return code if known_language(code) else None


def language_suggestions(text: str, limit: int = 3) -> list[str]:
    """Name the languages closest to an unknown one, as "arabo (ar)"."""
    names = _language_names()
    close = difflib.get_close_matches(text.strip().casefold(), names, n=limit, cutoff=0.75)
    return [f"{name} ({names[name]})" for name in close]


@cache
def _programme_codes() -> dict[str, str]:
    """The standard tag of each offered code that langcodes writes otherwise ("fa-AF": "prs")."""
    return {langcodes.standardize_tag(code): code for code in COMMON_LANGUAGES}


@cache
def _language_names() -> dict[str, str]:
    """Every language name in Italian and English, lower-case, to its code."""
    names: dict[str, str] = {}
    for locale in ("en", "it"):
        for code, name in Locale.parse(locale).languages.items():
            if "_" not in code and known_language(code):
                names.setdefault(name.casefold(), code)
        for code in COMMON_LANGUAGES:
            names.setdefault(language_name(code, locale).casefold(), code)
    return names


def language_choices(locale: str) -> list[tuple[str, str]]:
    """Return (code, name) pairs for forms, sorted by name in the UI language."""
    named = ((code, language_name(code, locale)) for code in COMMON_LANGUAGES)
    return sorted(named, key=lambda item: item[1].casefold())
