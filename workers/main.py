"""Worker entry point: `celery -A workers.main worker` (and `beat`)."""

from web import create_app
from workers.schedule import BEAT_SCHEDULE

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
celery_app.conf.beat_schedule = BEAT_SCHEDULE
app = celery_app  # what `celery -A workers.main` looks for
