"""Celery tasks, the beat schedule and the worker entry point."""
