"""Errors services raise for bad input, carrying a message per field."""

from __future__ import annotations


class ServiceError(ValueError):
    """Input a service refuses; `errors` maps a field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))
