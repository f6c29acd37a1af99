"""Review of proposals: approve, reject, pick an alternative, match by hand."""
