"""Settings and data files shared by every part of Tutor Match."""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG_DIR / "data"
