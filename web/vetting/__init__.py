"""Coordinators vet the new tutors of their territories."""
