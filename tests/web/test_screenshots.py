"""`make screenshots` photographs real pages: each one it names answers its user on the demo."""

from __future__ import annotations

import importlib.util
import sys

from tests.web.test_pages import login
from tests.worker_process import ROOT
from web.services.demo import DEMO_PASSWORD, seed_demo


def screenshots_script():
    """Load scripts/screenshots.py (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_every_screenshot_page_answers_its_user(app, client):
    """Does each page the script photographs answer 200 to the person it signs in as?"""
    seed_demo()
    with app.test_request_context():
        shots = screenshots_script().demo_pages()
    assert {shot.name for shot in shots} == {
        "landing-phone", "proposals-review", "run-result", "dashboard", "tutor-match-phone",
    }  # fmt: skip
    for shot in shots:
        if shot.login:
            assert login(client, shot.login, DEMO_PASSWORD).status_code == 302, shot.name
        assert client.get(shot.path).status_code == 200, shot.name
        client.post("/logout")
