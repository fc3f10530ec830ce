"""rebound_client: make any Python agent a good citizen of Rebound.

    from rebound_client import Rebound, handle_errors

    rebound = Rebound("planner-1", url="http://rebound:8080", key="rbk_…", control_secret="rbs_…")
    rebound.report_error("timeout", "LLM call timed out after 30s", severity="high")
"""

from ._checkpoints import CheckpointCorrupt
from ._client import Rebound, current
from ._control import Accepted, ControlCall, NotApplicable, signature, verify
from ._handlers import ReboundHandler, handle_errors, install_crash_hooks
from .resilience import (CircuitBreaker, CircuitOpen, RetryPolicy, circuit_breaker, retry, retry_api,
                         retry_database, retry_network)

__version__ = "0.1.0"

__all__ = ["Rebound", "current", "CheckpointCorrupt", "Accepted", "ControlCall", "NotApplicable", "signature", "verify",
           "ReboundHandler", "handle_errors", "install_crash_hooks", "CircuitBreaker", "CircuitOpen",
           "RetryPolicy", "circuit_breaker", "retry", "retry_api", "retry_database", "retry_network"]
