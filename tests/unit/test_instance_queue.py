"""Two checkouts on one machine never share a Celery queue, and `make run` takes PORT."""

from __future__ import annotations

import os
import subprocess
import sys

from config.settings import celery_settings, default_queue
from tests.worker_process import ROOT


def test_the_default_queue_is_named_after_the_instance_folder(tmp_path):
    """Do two instance folders get two queues, the same folder always the same one?"""
    first, second = tmp_path / "checkout-a" / "instance", tmp_path / "checkout-b" / "instance"
    assert default_queue(first) != default_queue(second)
    assert default_queue(first) == default_queue(
        tmp_path / "checkout-a" / ".." / "checkout-a" / "instance"
    )
    assert default_queue(first).startswith("tutor-match-")


def test_celery_queue_setting_overrides_the_default(monkeypatch):
    """Does CELERY_QUEUE (compose, several hosts) still name the queue when set?"""
    monkeypatch.setenv("CELERY_QUEUE", "shared-queue")
    assert celery_settings("redis://127.0.0.1:6379/0")["task_default_queue"] == "shared-queue"
    monkeypatch.setenv("CELERY_QUEUE", "")
    assert celery_settings("redis://127.0.0.1:6379/0")["task_default_queue"] == default_queue()


def test_make_run_refuses_a_port_that_is_not_a_number():
    """Does `make run PORT=abc` stop at once with a message naming PORT?"""
    result = subprocess.run(
        [sys.executable, "scripts/run_dev.py"],
        cwd=ROOT,
        env={**os.environ, "PORT": "abc"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PORT must be a port number between 1 and 65535, got 'abc'" in result.stderr
