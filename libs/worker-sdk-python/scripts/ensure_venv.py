"""Creates or updates libs/worker-sdk-python/.venv with `pip install -e '.[test]'` (stdlib only).

Idempotent and quiet: pip runs only when the venv is new, pyproject.toml changed, or the installed
package is missing or of another version. Prints the venv's python path as its last line.

    python3 libs/worker-sdk-python/scripts/ensure_venv.py [--extras test]
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
VENV = PROJECT / ".venv"
STAMP = VENV / ".event-monitor-stamp.json"
DIST = "event-monitor-worker"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def project_version() -> str:
    import tomllib

    with (PROJECT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def wanted_stamp(extras: str, python: Path) -> dict[str, str]:
    digest = hashlib.sha256((PROJECT / "pyproject.toml").read_bytes()).hexdigest()
    probe = subprocess.run([str(python), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True)
    return {"pyproject": digest, "extras": extras, "python": probe.stdout.strip(), "project": str(PROJECT)}


def installed_version(python: Path) -> str | None:
    probe = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({DIST!r}))"],
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure(extras: str) -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - run by whatever python3 is on PATH
        sys.exit(f"Python 3.11 or newer is needed for the worker SDK (this is {sys.version.split()[0]}).")
    VENV.mkdir(parents=True, exist_ok=True)
    with open(VENV / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two harnesses starting at once install once
        python = venv_python()
        if not python.exists():
            print(f"[worker-sdk] creating {VENV.relative_to(PROJECT.parent.parent)} ...", file=sys.stderr, flush=True)
            venv.EnvBuilder(with_pip=True).create(VENV)
        stamp = wanted_stamp(extras, python)
        current = json.loads(STAMP.read_text()) if STAMP.exists() else None
        if current == stamp and installed_version(python) == project_version():
            return python
        print(f"[worker-sdk] installing {DIST} (editable, extras: {extras}) ...", file=sys.stderr, flush=True)
        spec = f".[{extras}]" if extras else "."
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "-e", spec],
            cwd=PROJECT,
        )
        if result.returncode != 0:
            sys.exit(f"pip install -e '{spec}' failed (exit {result.returncode})")
        STAMP.write_text(json.dumps(stamp))
        return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--extras", default="test")
    args = parser.parse_args()
    print(ensure(args.extras))


if __name__ == "__main__":
    main()
