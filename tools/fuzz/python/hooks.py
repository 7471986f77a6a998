"""Schemathesis hooks of the fuzz run (loaded through SCHEMATHESIS_HOOKS by tools/fuzz/src/schemathesis.ts).

- Path ids: random strings only ever reach "not found". Part of the generated ids are replaced by
  ids the runner seeded (EVENT_MONITOR_FUZZ_IDS), chosen from the generated value so a seed still
  reproduces the run, so handlers get past the lookup into their real work.
- TRACE is not sent: Next.js 16 answers it itself with a bare 500 before any app code runs
  (undici's Request refuses the method, so neither apps/web/proxy.ts nor a route ever sees it).
  Block TRACE at the reverse proxy; docs/reliability.md lists this as open.
- The long-poll claim: a positive `wait_seconds` (1..30) holds the request open for up to 30 s and
  finds nothing new in a fuzz database; it is sent as 0 so every example returns at once. Invalid
  values (strings, negatives, > 30) are left as generated and must still be refused with 400.
- Keys named like what every JavaScript object inherits (`constructor`, `__proto__`, `toString`,
  ...): the OpenAPI document never suggests them, so one in four bodies and query strings gets one
  (at the top, or inside the body's first object field), chosen from the generated value. They
  once answered 500 on 19 routes; now they must be refused (400) or ignored like any unknown key.
- ast.parse is serialised (see _serialised_ast_parse): a CPython bug, not ours, that stopped the run.
"""

from __future__ import annotations

import ast
import json
import os
import threading
import zlib
from typing import Any

import schemathesis

# CPython before 3.11.9/3.12.1 keeps the AST constructor's recursion counter in state shared by
# all threads (python/cpython#106905). When two threads run ast.parse and the garbage collector
# runs a finalizer in between, the GIL changes hands mid-conversion and parse raises
# "SystemError: AST constructor recursion depth mismatch". Hypothesis calls ast.parse to describe
# the filter lambdas of schemathesis's coverage phase, and schemathesis runs --workers threads, so
# the fuzz run stopped with that error in some CI runs (Debian's 3.11.7 here). Reproduced outside
# schemathesis with 4 threads parsing while cyclic garbage with __del__ is collected: 1 error per
# run without a lock, none with it. One lock around ast.parse removes the race; it costs nothing
# that shows (a parse per new filter).
_AST_PARSE = ast.parse
_AST_PARSE_LOCK = threading.Lock()


def _serialised_ast_parse(*args: Any, **kwargs: Any) -> Any:
    with _AST_PARSE_LOCK:
        return _AST_PARSE(*args, **kwargs)


ast.parse = _serialised_ast_parse  # type: ignore[assignment]

IDS: dict[str, list[str]] = json.loads(os.environ.get("EVENT_MONITOR_FUZZ_IDS", "{}"))
PATH_IDS = {"batchId": "batch_ids", "jobId": "job_ids", "path": "files"}


def _pick(value: Any, choices: list[str]) -> str | None:
    key = zlib.crc32(repr(value).encode("utf-8", "surrogatepass"))
    # Two out of three generated values become a seeded id; the rest stay as generated.
    if not choices or key % 3 == 0:
        return None
    return choices[key % len(choices)]


UNSENDABLE_METHODS = {"TRACE"}

INHERITED_KEYS = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "prototype", "isPrototypeOf"]


def _inherited_key(value: Any) -> str | None:
    """One of INHERITED_KEYS for one value in four (the same one for the same value), else None."""
    key = zlib.crc32(b"inherited:" + repr(value).encode("utf-8", "surrogatepass"))
    if key % 4 != 1:
        return None
    return INHERITED_KEYS[(key // 4) % len(INHERITED_KEYS)]


def _with_inherited_key(body: dict[str, Any]) -> dict[str, Any]:
    name = _inherited_key(body)
    if name is None:
        return body
    nested = next((field for field, inner in body.items() if isinstance(inner, dict)), None)
    if nested is not None and zlib.crc32(name.encode()) % 2 == 0:
        return {**body, nested: {**body[nested], name: "x"}}
    return {**body, name: "x"}


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    return str(case.method).upper() not in UNSENDABLE_METHODS


@schemathesis.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters)
    for name, group in PATH_IDS.items():
        if name in mapped:
            seeded = _pick(mapped[name], IDS.get(group, []))
            if seeded is not None:
                mapped[name] = seeded
    return mapped


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    operation = context.operation
    if operation is not None and operation.path.endswith("/worker/claim"):
        wait = body.get("wait_seconds")
        if isinstance(wait, int) and not isinstance(wait, bool) and 0 < wait <= 30:
            body = {**body, "wait_seconds": 0}
    return _with_inherited_key(body)


@schemathesis.hook
def map_query(context: Any, query: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(query, dict):
        return query
    name = _inherited_key(query)
    return query if name is None else {**query, name: "1"}
