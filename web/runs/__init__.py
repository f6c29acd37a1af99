"""Matching runs: start a dry run, follow its progress, read its KPIs, publish it."""
