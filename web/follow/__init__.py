"""Following matches: last meetings, flags, meetings logged by tutors, ending a match."""
