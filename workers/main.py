"""Worker entry point: `celery -A workers.main worker` (and `beat`)."""

from web import create_app
from workers.schedule import beat_schedule

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
celery_app.conf.beat_schedule = beat_schedule(flask_app.config)
app = celery_app  # what `celery -A workers.main` looks for
