"""Capped exponential backoff with jitter, for network errors, 429 and 5xx."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """`delay()` grows `initial * multiplier**n` up to `maximum`, with "equal jitter": the wait is
    drawn from [d * (1 - jitter), d], so many workers that failed together do not retry together.

    Call `delay()` after each failure and `reset()` after a success.
    """

    initial: float = 0.5
    maximum: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random, repr=False)
    failures: int = 0

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum < self.initial:
            raise ValueError("need 0 < initial <= maximum")
        if self.multiplier < 1:
            raise ValueError("multiplier must be >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be within 0..1")

    def ceiling(self, failures: int) -> float:
        """The un-jittered delay after `failures` consecutive failures (1 = the first)."""
        exponent = max(0, failures - 1)
        # Stop multiplying once past the cap: no float overflow after thousands of failures.
        delay = self.initial
        for _ in range(exponent):
            delay *= self.multiplier
            if delay >= self.maximum:
                return self.maximum
        return min(delay, self.maximum)

    def delay(self) -> float:
        """Counts one more failure and returns how long to wait before the next try (seconds)."""
        self.failures += 1
        top = self.ceiling(self.failures)
        return top - self.rng.uniform(0, top * self.jitter)

    def reset(self) -> None:
        self.failures = 0
