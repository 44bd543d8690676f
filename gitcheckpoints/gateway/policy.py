"""Who may write what: a user's own branches, and how often."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

HEADS = "refs/heads/"


@dataclass(frozen=True)
class BranchPolicy:
    """A user's branches are ``<user>`` and ``<user>-<env>`` (the branch template
    ``<USER>-<DEPLOY_ENV>``). With ``environments`` listed, only those suffixes:
    without them user ``ada`` could also write the branches of a user ``ada-x``."""

    environments: Sequence[str] = ()

    def owns(self, user: str, ref: str) -> bool:
        if not ref.startswith(HEADS):
            return False
        branch = ref[len(HEADS) :]
        if branch == user:
            return True
        if not branch.startswith(user + "-"):
            return False
        suffix = branch[len(user) + 1 :]
        return suffix in self.environments if self.environments else bool(suffix)


@dataclass
class RateLimit:
    """A token bucket per user: ``per_minute`` requests on average, ``burst`` at once."""

    per_minute: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, user: str) -> float:
        """0 when the request may go ahead, else the seconds until one may."""
        now = self.clock()
        tokens, since = self._buckets.get(user, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.per_minute / 60)
        if tokens >= 1:
            self._buckets[user] = (tokens - 1, now)
            return 0.0
        self._buckets[user] = (tokens, now)
        return (1 - tokens) * 60 / self.per_minute
