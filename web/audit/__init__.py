"""The audit log page: who did what to personal data, filterable."""
