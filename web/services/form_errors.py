"""The errors of a submitted form, in page order, each with the control it links to.

The error summary at the top of every form (templates/_forms.html) lists these; its links
jump to the control, so a person on a phone finds the field the message is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from wtforms import Field, FieldList, Form, FormField

UNLINKED = ("HiddenField", "CSRFTokenField")  # nothing on screen to jump to


@dataclass(frozen=True)
class Problem:
    """One message, the label of its field and the id of the control to jump to (if any)."""

    message: str
    label: str = ""
    target: str | None = None


def problems(form: Form, targets: Mapping[str, str] | None = None) -> list[Problem]:
    """List a form's errors; `targets` names the control of fields a template draws itself."""
    targets = targets or {}
    first = first_field(form)
    whole_form = link(first, targets) if first else None
    found = [Problem(str(message), target=whole_form) for message in form.form_errors]
    for field in form:
        found.extend(field_problems(field, targets))
    return found


def field_problems(field: Field, targets: Mapping[str, str], row: str = "") -> Iterator[Problem]:
    """Yield the problems of one field, going into lists of rows and sub-forms."""
    if isinstance(field, FieldList):
        for index, entry in enumerate(field.entries, start=1):
            yield from field_problems(entry, targets, row=f" ({index})")
        first = first_field(field)
        target = targets.get(field.name) or (link(first, targets) if first else None)
        label = str(field.label.text)
        for message in field.errors:
            if isinstance(message, str):  # about the whole list; the rows' own are above
                yield Problem(message, label, target)
        return
    if isinstance(field, FormField):
        for sub in field:
            yield from field_problems(sub, targets, row)
        return
    label = f"{field.label.text}{row}" if field.label and field.label.text else ""
    for message in field.errors:
        yield Problem(str(message), label, link(field, targets))


def link(field: Field, targets: Mapping[str, str]) -> str | None:
    """Return the id of the control a field's message links to (a radio group: its first)."""
    if field.name in targets:
        return targets[field.name]
    if field.type in UNLINKED:
        return None
    if field.type == "RadioField":
        return f"{field.id}-0"
    return field.id


def first_field(fields: Iterable[Field]) -> Field | None:
    """Return the first field drawn as a control (messages about the whole form link there)."""
    for field in fields:
        # a sub-form iterates over its fields, a list over its rows
        found = first_field(field) if isinstance(field, FormField | FieldList) else field
        if found is not None and found.type not in UNLINKED:
            return found
    return None
