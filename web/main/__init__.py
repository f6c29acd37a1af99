"""Landing page, health check, place autocomplete and language switch."""
