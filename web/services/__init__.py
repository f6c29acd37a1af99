"""Use cases: the one place that commits."""
