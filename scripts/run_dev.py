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
    from config.settings import Config
    from web.services.tasks import redis_answers

    (ROOT / "instance").mkdir(exist_ok=True)
    env = dict(os.environ, FLASK_APP="web")
    subprocess.run([str(BIN / "flask"), "setup"], check=True, cwd=ROOT, env=env)
    if redis_answers(Config.REDIS_URL):
        print(f"Redis answers at {Config.REDIS_URL}: starting web, worker and beat (honcho)")
        env["TASK_MODE"] = "worker"
        return subprocess.call([str(BIN / "honcho"), "start", "-f", "Procfile"], cwd=ROOT, env=env)
    print(f"Redis does not answer at {Config.REDIS_URL}: tasks run in-process (see /healthz)")
    env["TASK_MODE"] = "inprocess"
    return subprocess.call(
        [str(BIN / "flask"), "run", "--host", "127.0.0.1", "--port", "5000"], cwd=ROOT, env=env
    )


if __name__ == "__main__":
    raise SystemExit(main())
