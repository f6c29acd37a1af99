"""Deployment files: the compose file validates, the WSGI module builds the app."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.worker_process import ROOT


def compose_available() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return (
        subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode
        == 0
    )


@pytest.mark.skipif(
    not compose_available(), reason="docker CLI with the compose plugin is not installed"
)
def test_compose_file_is_valid():
    """Does `docker compose config` accept web, worker, beat, postgres, redis and mailpit?"""
    result = subprocess.run(
        ["docker", "compose", "config", "--services"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x" * 40, "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) >= {"web", "worker", "beat", "postgres", "redis", "mailpit"}


def test_procfile_starts_web_worker_and_beat():
    """Does `make run` (honcho) start the three processes when Redis answers?"""
    roles = {
        line.split(":", 1)[0]
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.strip()
    }
    assert roles == {"web", "worker", "beat"}
