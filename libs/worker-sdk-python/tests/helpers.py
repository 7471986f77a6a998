"""Helpers shared by the live tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from event_monitor_worker import JobParameters, NewJob, Worker, WorkerStats

T = TypeVar("T")

SESSIONS = [
    ("Opening Keynote: Open Source in 2030", ["Ada Lovelace"], "Main Stage", "09:00", "09:45"),
    ("Rust & Python: Friends?", ["Grace Hopper", "Alan Turing"], "Languages", "10:00", "10:30"),
    ("Über Café-Driven Development", ["Jürgen Müller"], "Culture", "11:00", "11:25"),
    ("Scaling Workers with Leases", ["Barbara Liskov"], "Backend", "13:00", "13:40"),
]


def session_jobs(job_type: str, count: int, event: str = "PyTest Conf 2026", language: str = "de") -> list[NewJob]:
    jobs = []
    for index in range(count):
        title, speakers, track, start, end = SESSIONS[index % len(SESSIONS)]
        jobs.append(
            NewJob(
                job_type=job_type,
                parameters=JobParameters(
                    event=event,
                    session=f"{title} #{index + 1}",
                    track=track,
                    day="2026-05-04",
                    starttime=start,
                    endtime=end,
                    speakers=speakers,
                    url=f"https://example.org/sessions/{index + 1}",
                    source_language="en",
                    target_language=language,
                ),
            )
        )
    return jobs


def wait_for(probe: Callable[[], T | None], timeout: float = 15.0, interval: float = 0.1, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def run_in_thread(worker: Worker, timeout: float = 30.0, **run_args: object) -> WorkerStats:
    """Runs `worker.run(**run_args)` in a thread (no signal handlers) and returns its stats."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["stats"] = worker.run(handle_signals=False, **run_args)  # type: ignore[arg-type]
        except BaseException as error:  # noqa: BLE001
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        worker.stop(grace=0)
        thread.join(5)
        raise AssertionError(f"the worker did not finish within {timeout}s ({worker.stats})")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["stats"]  # type: ignore[return-value]
