"""Shared interests: TF-IDF (scikit-learn) cosine between free texts, evaluated on pairs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfTransformer,
    strip_accents_unicode,
)

from .taxonomy import CONFIG_DIR

STOP_WORDS_FILE = CONFIG_DIR / "data" / "interest_stopwords.txt"
TERM_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # words of three letters or more
# Markup and code, dropped before the words are taken: script and style elements with
# their content, other tags (closed or not), entities, links and function calls.
MARKUP = re.compile(
    r"<(script|style)\b.*?(?:</\1\s*>|$)"  # an element whose content is code
    r"|</?[a-z!?][^>]*>?"  # any other tag
    r"|&#?\w+;"  # an entity
    r"|\b(?:https?|ftp|javascript|vbscript|data|mailto):\S*|\bwww\.\S+"  # a link
    r"|[\w$.]+\([^)]*\)?",  # a function call
    re.IGNORECASE | re.DOTALL,
)


def normalise(text: str) -> str:
    """The text as the vectorizer sees it: markup and code removed, lower case, no accents."""
    return strip_accents_unicode(MARKUP.sub(" ", text).lower())


@cache
def stop_words() -> list[str]:
    """Italian and English words ignored in interests texts: scikit-learn's English list
    and config/data/interest_stopwords.txt, normalised like the texts."""
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    words = [line.partition("#")[0].strip() for line in lines]
    tokens = re.compile(TERM_PATTERN).findall
    return sorted(
        {token for word in [*ENGLISH_STOP_WORDS, *words] for token in tokens(normalise(word))}
    )


class InterestIndex:
    """L2-normalised TF-IDF rows for tutors and beneficiaries, fitted on both sides' texts."""

    def __init__(self, tutor_texts: Sequence[str], beneficiary_texts: Sequence[str]) -> None:
        # TfidfVectorizer is a CountVectorizer followed by a TfidfTransformer: counting each
        # distinct text once (many are equal or empty) and weighting all rows gives the
        # same matrix for less tokenising.
        self.counter = CountVectorizer(
            preprocessor=normalise,  # replaces the vectorizer's lower case and accent steps
            stop_words=stop_words(),
            token_pattern=TERM_PATTERN,
            dtype=np.float32,
        )
        self.weighting = TfidfTransformer()
        self.terms: np.ndarray = np.array([], dtype=object)
        texts = [*tutor_texts, *beneficiary_texts]
        number: dict[str, int] = {}
        row_text = np.array([number.setdefault(text, len(number)) for text in texts], np.int64)
        distinct_texts = list(number)
        try:
            counts = sp.csr_matrix(self.counter.fit_transform(distinct_texts))
            self.terms = self.counter.get_feature_names_out()
        except ValueError:  # empty vocabulary: nobody wrote any interest
            counts = sp.csr_matrix((len(distinct_texts), 0), dtype=np.float32)
        if len(self.terms):
            matrix = sp.csr_matrix(self.weighting.fit_transform(counts[row_text]))
        else:
            matrix = sp.csr_matrix((len(texts), 0), dtype=np.float32)
        matrix.sort_indices()
        self.tutors = matrix[: len(tutor_texts)]
        self.beneficiaries = matrix[len(tutor_texts) :]
        self.tutor_signatures = signatures(self.tutors)
        self.beneficiary_signatures = signatures(self.beneficiaries)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Vectorise new texts with the fitted vocabulary (incremental mode)."""
        if len(self.terms) == 0:
            return sp.csr_matrix((len(texts), 0), dtype=np.float32)
        rows = sp.csr_matrix(self.weighting.transform(self.counter.transform(texts)))
        rows.sort_indices()
        return rows

    def rows(
        self, tutors: sp.csr_matrix | None = None, beneficiaries: sp.csr_matrix | None = None
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """The tutors' and beneficiaries' rows, or the given ones (a newcomer's) instead."""
        return (
            self.tutors if tutors is None else tutors,
            self.beneficiaries if beneficiaries is None else beneficiaries,
        )

    def cosine(
        self,
        t: np.ndarray,
        b: np.ndarray,
        tutors: sp.csr_matrix | None = None,
        beneficiaries: sp.csr_matrix | None = None,
    ) -> np.ndarray:
        """Return the cosine of each pair (t[i], b[i]) without a per-pair loop."""
        left, right = self.rows(tutors, beneficiaries)
        out = np.zeros(len(t), dtype=np.float64)
        if len(t) == 0 or left.shape[1] == 0:
            return out
        left_signatures = self.tutor_signatures if tutors is None else signatures(tutors)
        right_signatures = (
            self.beneficiary_signatures if beneficiaries is None else signatures(beneficiaries)
        )
        # Only pairs whose signatures meet can share a term; the others have cosine 0.
        some = np.flatnonzero(left_signatures[t] & right_signatures[b])
        if len(some) == 0:
            return out
        # Row-wise dot products of the gathered sparse rows: cost grows with the pairs'
        # terms, not with the number of people (an SDDMM done with two sparse gathers).
        products = left[t[some]].multiply(right[b[some]])
        out[some] = np.asarray(products.sum(axis=1), dtype=np.float64).ravel()
        return np.minimum(out, 1.0)


def signatures(rows: sp.csr_matrix) -> np.ndarray:
    """A 64-bit signature per row: bit (term mod 64) set for each of its terms.

    Two rows that share a term have signatures that meet (the converse may fail when
    terms collide modulo 64), so a zero AND proves a zero cosine without the product.
    """
    bits = np.left_shift(np.uint64(1), (rows.indices % 64).astype(np.uint64))
    out = np.zeros(rows.shape[0], dtype=np.uint64)
    counts = np.diff(rows.indptr)
    filled = np.flatnonzero(counts)
    if len(filled):
        out[filled] = np.bitwise_or.reduceat(bits, rows.indptr[filled])
    return out
