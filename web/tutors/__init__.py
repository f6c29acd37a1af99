"""The tutor's own pages: profile wizard, availability status and matches."""
