"""Start a real Celery worker process for a test, and wait for things without sleeping blindly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wait_until(
    condition: Callable[[], object], timeout: float, what: str, interval: float = 0.1
) -> object:
    """Poll a condition until it is truthy; fail with `what` when the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def worker_env(database_url: str, redis_url: str, queue: str, **extra: str) -> dict[str, str]:
    """Environment for a worker that uses the test's database, Redis and private queue."""
    env = dict(os.environ)
    env.update(
        APP_ENV="development",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TASK_MODE="worker",
        CELERY_QUEUE=queue,
        MAIL_SERVER="",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextmanager
def celery_worker(
    app, env: dict[str, str], *, concurrency: int = 1, log: Path | None = None
) -> Iterator[subprocess.Popen]:
    """Run `celery -A workers.main worker` until the block ends; wait until it answers a ping."""
    command = [
        sys.executable, "-m", "celery", "-A", "workers.main", "worker",
        "--loglevel", "INFO", "--concurrency", str(concurrency), "--pool", "prefork",
        "-Q", env["CELERY_QUEUE"], "--hostname", f"{env['CELERY_QUEUE']}@%h",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
    )
    celery_app = app.extensions["celery"]
    destination = [f"{env['CELERY_QUEUE']}@{os.uname().nodename}"]
    try:
        wait_until(
            lambda: (
                process.poll() is not None
                or celery_app.control.ping(destination=destination, timeout=0.5)
            ),
            timeout=60,
            what="the Celery worker to answer a ping",
        )
        assert process.poll() is None, f"worker exited with {process.returncode}"
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log:
            output.close()
