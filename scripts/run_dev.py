"""Set up and serve Tutor Match on the embedded defaults (what `make run` does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def main() -> int:
    """Migrate, load places and taxonomy, seed the demo once, then serve (with workers if Redis)."""
    sys.path.insert(0, str(ROOT))
    from config.settings import Config, celery_settings
    from web.services.tasks import redis_answers

    port = serving_port()
    Config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FLASK_APP="web")
    subprocess.run([str(BIN / "flask"), "setup"], check=True, cwd=ROOT, env=env)
    queue = celery_settings(Config.REDIS_URL)["task_default_queue"]
    print(f"Serving on http://127.0.0.1:{port} (instance folder {Config.INSTANCE_DIR})")
    if redis_answers(Config.REDIS_URL):
        print(f"Redis answers at {Config.REDIS_URL}: web, worker and beat on queue {queue}")
        env.update(TASK_MODE="worker", CELERY_QUEUE=queue)  # the worker's name carries it too
        honcho = [str(BIN / "honcho"), "start", "-f", "Procfile", "--port", str(port)]
        return subprocess.call(honcho, cwd=ROOT, env=env)  # honcho gives the web PORT=port
    print(f"Redis does not answer at {Config.REDIS_URL}: tasks run in-process (see /healthz)")
    env["TASK_MODE"] = "inprocess"
    flask = [str(BIN / "flask"), "run", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.call(flask, cwd=ROOT, env=env)


def serving_port() -> int:
    """Read PORT (default 5000); stop with a message when it is not a port number."""
    value = os.environ.get("PORT") or "5000"
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise SystemExit(f"PORT must be a port number between 1 and 65535, got {value!r}")
    return int(value)


if __name__ == "__main__":
    raise SystemExit(main())
