"""Creates or updates tools/fuzz/.venv with the pinned requirements.txt (stdlib only).

Idempotent: pip runs only when the venv is new or requirements.txt changed. A lock makes two
runners starting at once install once. Prints the venv's python path as its last line.

    python3 tools/fuzz/python/ensure_venv.py
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
STAMP = VENV / ".event-monitor-stamp.json"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure() -> Path:
    if sys.version_info < (3, 10):  # noqa: UP036 - run by whatever python3 is on PATH
        sys.exit(f"Python 3.10 or newer is needed for schemathesis (this is {sys.version.split()[0]}).")
    VENV.mkdir(parents=True, exist_ok=True)
    with open(VENV / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        python = venv_python()
        if not python.exists():
            print("[fuzz] creating tools/fuzz/.venv ...", file=sys.stderr, flush=True)
            venv.EnvBuilder(with_pip=True).create(VENV)
        stamp = {"requirements": hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest(), "python": sys.version.split()[0]}
        current = json.loads(STAMP.read_text()) if STAMP.exists() else None
        if current == stamp:
            return python
        print("[fuzz] installing schemathesis (pinned in tools/fuzz/python/requirements.txt) ...", file=sys.stderr, flush=True)
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "-r", str(REQUIREMENTS)],
        )
        if result.returncode != 0:
            sys.exit(f"pip install -r {REQUIREMENTS} failed (exit {result.returncode})")
        STAMP.write_text(json.dumps(stamp))
        return python


if __name__ == "__main__":
    print(ensure())
