"""The engine stays a pure library."""

from __future__ import annotations

import subprocess
import sys


def test_importing_matching_loads_no_web_framework() -> None:
    """Does `import matching` (and its CLI) leave Flask, SQLAlchemy and Celery unloaded?"""
    code = (
        "import sys, matching, matching.__main__, matching.bench, matching.match_command\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'celery', 'flask_sqlalchemy', 'web', 'workers'})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
