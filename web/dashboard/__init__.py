"""The coordinator's dashboard and the funder report."""
