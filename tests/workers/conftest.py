"""Real services for worker tests: an SMTP sink, a private Redis, worker and beat processes.

Every process is started in its own session and killed in a finaliser; every wait has a
deadline (tests.worker_process.wait_until), none is a bare sleep.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import celery_settings
from tests.services import require_redis
from tests.smtp_sink import SmtpSink, free_port
from tests.worker_process import ROOT, wait_until, worker_env

# Short delays so outages and retries play out in seconds (see docs/notifications.md).
FAST_DELIVERY = {
    "NOTIFICATION_RETRY_BASE_SECONDS": "1",
    "NOTIFICATION_RETRY_MAX_SECONDS": "2",
    "NOTIFICATION_MAX_ATTEMPTS": "60",
    "NOTIFICATION_LEASE_SECONDS": "3",
    "NOTIFICATION_STALE_SECONDS": "3",
    "NOTIFICATION_REQUEUE_EVERY_SECONDS": "1",
    "SMTP_TIMEOUT_SECONDS": "2",
}


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A running SMTP sink on a free loopback port."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


class ManagedProcess:
    """A subprocess in its own session, restartable, logging to a file."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        """Send a signal to the whole process group (a prefork worker's children too)."""
        if self.running():
            os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL the process group and reap it."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """Ask politely, then kill."""
        if not self.running():
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class WorkerProcess(ManagedProcess):
    """`celery -A workers.main worker` on a private queue, awaited until it answers a ping."""

    def __init__(self, app, env: dict[str, str], log: Path, concurrency: int) -> None:
        queue = env["CELERY_QUEUE"]
        self.name = f"{queue}@{socket.gethostname()}"
        command = [sys.executable, "-m", "celery", "-A", "workers.main", "worker",
                   "--loglevel", "INFO", "--pool", "prefork", "--concurrency", str(concurrency),
                   "-Q", queue, "--hostname", self.name,
                   "--without-gossip", "--without-mingle"]  # fmt: skip
        super().__init__(command, env, log)
        self.celery = app.extensions["celery"]
        self.starts = 0

    def start(self) -> None:
        """Start and wait (at most 60 s) until the worker answers a ping."""
        super().start()
        self.starts += 1
        wait_until(
            lambda: (
                not self.running() or self.celery.control.ping(destination=[self.name], timeout=0.5)
            ),
            timeout=60,
            what="the Celery worker to answer a ping",
        )
        assert self.running(), f"the worker exited; see {self.log}"


class BeatProcess(ManagedProcess):
    """`celery -A workers.main beat` with its schedule file in a temporary directory."""

    def __init__(self, env: dict[str, str], directory: Path) -> None:
        command = [sys.executable, "-m", "celery", "-A", "workers.main", "beat",
                   "--loglevel", "INFO", "--schedule", str(directory / "beat-schedule"),
                   "--pidfile", ""]  # fmt: skip
        super().__init__(command, env, directory / "beat.log")


class RedisServer(ManagedProcess):
    """A private redis-server on a free port that a test may stop, freeze and restart."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(directory)]  # fmt: skip
        super().__init__(command, dict(os.environ), directory / "redis.log")

    def start(self) -> None:
        """Start and wait (at most 20 s) until it accepts connections."""
        super().start()

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    return conn.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(answers, timeout=20, what="redis-server to answer")


@pytest.fixture
def worker_stack(make_app, postgres_url, worker_config_overrides, smtp_sink, tmp_path):
    """Build an app, a worker and a beat on PostgreSQL, Redis and the SMTP sink.

    Call it with redis_url=None (the shared test Redis, private queue) or a private Redis.
    Processes are stopped before the app's rows are cleared.
    """
    processes: list[ManagedProcess] = []

    def build(redis_url: str | None = None, concurrency: int = 1, beat: bool = True, **extra):
        redis_url = redis_url or require_redis()
        queue = worker_config_overrides["CELERY"]["task_default_queue"]
        celery = celery_settings(redis_url)
        celery["task_default_queue"] = queue
        app = make_app(
            postgres_url,
            TASK_MODE="worker",
            REDIS_URL=redis_url,
            CELERY=celery,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp_sink.port,
            **{key: int(value) for key, value in FAST_DELIVERY.items()},
        )
        env = worker_env(
            postgres_url,
            redis_url,
            queue,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(smtp_sink.port),
            INSTANCE_DIR=str(tmp_path),
            **FAST_DELIVERY,
            **extra,
        )
        worker = WorkerProcess(app, env, tmp_path / "worker.log", concurrency)
        processes.append(worker)
        worker.start()
        beat_process = None
        if beat:
            beat_process = BeatProcess(env, tmp_path)
            processes.append(beat_process)
            beat_process.start()
        return app, worker, beat_process

    yield build
    for process in reversed(processes):
        process.stop()


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    """A redis-server of this test only (never the shared one other tests use)."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.signal(signal.SIGCONT)  # in case the test left it frozen
    server.stop()
