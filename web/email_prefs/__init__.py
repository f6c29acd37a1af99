"""Email preferences reached from links in emails (no login needed)."""
