"""Keep data whole inside text of the other direction: "+39 0521 123456" inside Arabic.

A phone number, an address, a code like PR-0007 or a Latin name inside a right-to-left
sentence is reordered by the Unicode bidirectional algorithm ("123456 0521 39+") unless it
is isolated: `<bdi>` in HTML, the isolate characters U+2066/U+2068 … U+2069 in plain text.
Every email template passes such values through the `isolate` filter.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "yi"})
LEFT_TO_RIGHT_ISOLATE = "\u2066"
FIRST_STRONG_ISOLATE = "\u2068"  # the value's own first letter decides (names)
POP_DIRECTIONAL_ISOLATE = "\u2069"
ISOLATES = (LEFT_TO_RIGHT_ISOLATE, FIRST_STRONG_ISOLATE)


def text_direction(language: str) -> str:
    """Say whether a language is written right to left."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


@pass_context
def isolate(context: Context, value: Any, direction: str = "ltr") -> Any:
    """Isolate a value from the sentence around it: left to right, or "auto" for names.

    In HTML always (`<bdi>` is harmless in a left-to-right email); in plain text only in a
    right-to-left email, where the isolates are needed and the invisible characters do no
    harm. A link alone on its line is not isolated in plain text: it reads left to right by
    itself, and some mail clients would take the isolate into the link.
    """
    if value is None or str(value) == "":
        return value
    if context.eval_ctx.autoescape:
        attribute = ' dir="ltr"' if direction == "ltr" else ""
        return Markup(f"<bdi{attribute}>{escape(value)}</bdi>")  # noqa: S704 - value escaped
    if context.get("email_dir") != "rtl":
        return value
    opening = LEFT_TO_RIGHT_ISOLATE if direction == "ltr" else FIRST_STRONG_ISOLATE
    return f"{opening}{value}{POP_DIRECTIONAL_ISOLATE}"
