"""`python -m event_monitor_worker.demo` as a process: a full run, and SIGTERM / SIGINT handling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers import session_jobs, wait_for

from event_monitor_worker import SHUTDOWN_CODE, EventMonitorClient


class DemoProcess:
    """The demo worker as a subprocess; its output is collected by a thread as it comes."""

    def __init__(self, live_env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "event_monitor_worker.demo", *args],
            env={**os.environ, **live_env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, text: str, timeout: float = 15) -> None:
        wait_for(lambda: text in self.output or self.process.poll() is not None, timeout=timeout, what=repr(text))
        assert text in self.output, self.output

    def finish(self, timeout: float) -> tuple[int, str]:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired as timeout_error:
            self.process.kill()
            self.process.wait()
            self._reader.join(5)
            raise AssertionError(f"the demo worker did not exit within {timeout}s:\n{self.output}") from timeout_error
        self._reader.join(5)
        return self.process.returncode, self.output


def test_the_demo_module_processes_jobs_from_the_environment(
    client: EventMonitorClient, live_env: dict[str, str], files_root: Path, job_type: str
) -> None:
    created = client.create_batch(session_jobs(job_type, 2, event="CLI Summit", language="fr"))
    demo = DemoProcess(live_env, "--job-type", job_type, "--max-jobs", "2", "--step-delay", "0.05", "--wait-seconds", "2")
    code, output = demo.finish(30)
    assert code == 0, output
    assert "done: 2 completed" in output
    assert client.get_batch(created.batch.batch_id).status == "completed"
    for job_id in created.job_ids:
        results = client.get_job(job_id).results
        assert results is not None and results.markdown_file is not None
        assert results.markdown_file.startswith("sessions/CLI_Summit/fr/")
        assert client.get_file(results.markdown_file).decode() == results.markdown_content


def test_sigterm_mid_job_hands_the_job_back_and_exits_0(
    client: EventMonitorClient, live_env: dict[str, str], job_type: str
) -> None:
    created = client.create_batch(session_jobs(job_type, 1, event="Signal Days"))
    job_id = created.job_ids[0]
    demo = DemoProcess(live_env, "--job-type", job_type, "--step-delay", "10", "--wait-seconds", "2")
    try:
        wait_for(
            lambda: (lambda j: j.status == "processing" and j.progress is not None and j.progress.step == "fetching")(
                client.get_job(job_id)
            ),
            timeout=15,
            what="the demo worker to start the job",
        )
    except AssertionError:
        demo.process.kill()
        raise
    sent = time.monotonic()
    demo.process.send_signal(signal.SIGTERM)
    code, output = demo.finish(10)
    took = time.monotonic() - sent
    assert code == 0, output
    assert took < 5, f"took {took:.1f}s to stop"
    assert "1 released" in output

    job = client.get_job(job_id)
    assert job.status in ("pending", "failed")
    assert job.error is not None and job.error.code == SHUTDOWN_CODE
    if job.status == "pending":
        assert job.available_at is not None and job.lease is None
    batch = client.get_batch(created.batch.batch_id)
    assert batch.processing_jobs == 0


def test_sigint_while_idle_exits_promptly(live_env: dict[str, str], job_type: str) -> None:
    # A long-poll of 20 s is in flight: the worker must not wait for it to end.
    demo = DemoProcess(live_env, "--job-type", job_type, "--wait-seconds", "20")
    demo.wait_for_output("claiming")  # signal handlers are in place from here on
    time.sleep(0.5)  # the long-poll is in flight
    sent = time.monotonic()
    demo.process.send_signal(signal.SIGINT)
    code, output = demo.finish(10)
    assert code == 0, output
    assert time.monotonic() - sent < 3
    assert "done: 0 completed" in output


def test_missing_settings_are_a_usage_error(live_env: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in live_env}
    result = subprocess.run(
        [sys.executable, "-m", "event_monitor_worker.demo"], env=env, capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 2
    assert "missing --url, --token, --files-root" in result.stderr
