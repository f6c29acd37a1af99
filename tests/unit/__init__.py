"""Unit tests of the matching engine (no app, no database)."""
