"""Ways errors reach ``report_error`` without the agent calling it: a decorator, a
logging handler, and hooks for crashes."""

import asyncio
import functools
import logging
import sys
import threading
import traceback

from . import _client

HIGH = ("ConnectionError", "TimeoutError")


def _reporter(client, args):
    """Who reports: the given client, else the method's own object when it has
    ``report_error`` (the seeds' agents), else the client created last."""
    if client is not None:
        return client, args
    if args and callable(getattr(args[0], "report_error", None)):
        return args[0], args[1:]
    return _client.current(), args


def _behavior(behavior, default, args, explicit):
    """The seeds' agents say what to do in ``self.config`` when the decorator does not."""
    config = getattr(args[0], "config", None) if args else None
    if not explicit and isinstance(config, dict) and "error_behavior" in config:
        return config["error_behavior"], config.get("default_return_value", default)
    return behavior, default


def _report(client, func, args, error):
    client, args = _reporter(client, args)
    if client is None:
        return
    error_type = error.__class__.__name__
    severity = "high" if error_type in HIGH or isinstance(error, (ConnectionError, TimeoutError)) else "medium"
    client.report_error(error_type, str(error), severity, {
        "function": func.__name__,
        "args": str(args),
        "traceback": traceback.format_exc(),
    })


def handle_errors(func=None, behavior=None, default=None, client=None):
    """Catches and reports what the function raises (type = the exception's class,
    severity ``high`` for connection and timeout errors), then re-raises it
    (``behavior="raise"``) or returns ``default`` (``behavior="default"``). Works on
    plain and ``async`` functions, bare (``@handle_errors``) or with arguments."""
    explicit = behavior is not None
    behavior = behavior or "raise"
    if behavior not in ("raise", "default"):
        raise ValueError("behavior must be 'raise' or 'default', not %r" % (behavior,))

    def outcome(args):
        how, value = _behavior(behavior, default, args, explicit)
        if how == "raise":
            return False, None
        return True, value if how == "default" else None

    def decorate(fn):
        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                try:
                    return await fn(*args, **kwargs)
                except Exception as error:
                    _report(client, fn, args, error)
                    swallow, value = outcome(args)
                    if not swallow:
                        raise
                    return value
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as error:
                _report(client, fn, args, error)
                swallow, value = outcome(args)
                if not swallow:
                    raise
                return value
        return wrapper

    return decorate(func) if func is not None else decorate


class ReboundHandler(logging.Handler):
    """A logging handler that reports ERROR and CRITICAL records, with their tracebacks.
    Records of the client's own loggers are left alone, so nothing loops."""

    def __init__(self, client=None, level=logging.ERROR):
        super().__init__(level)
        self.client = client

    def emit(self, record):
        if record.name.startswith("rebound_client"):
            return
        client = self.client or _client.current()
        if client is None:
            return
        try:
            context = {"logger": record.name, "module": record.module, "function": record.funcName,
                       "line": record.lineno}
            if record.exc_info and record.exc_info[0] is not None:
                context["traceback"] = "".join(traceback.format_exception(*record.exc_info))
                error_type = record.exc_info[0].__name__
            else:
                error_type = "log_" + record.levelname.lower()
            severity = "critical" if record.levelno >= logging.CRITICAL else "high"
            client.report_error(error_type, record.getMessage(), severity, context)
        except Exception:
            self.handleError(record)


def install_crash_hooks(client=None, flush_timeout=2.0):
    """Reports an uncaught exception (main thread or any other) as a ``critical`` event
    and waits up to ``flush_timeout`` for it to be delivered before the process dies."""
    previous_sys, previous_threading = sys.excepthook, threading.excepthook

    def crashed(kind, error_type, error, tb, thread=None):
        target = client or _client.current()
        if target is None or error_type is None or issubclass(error_type, (KeyboardInterrupt, SystemExit)):
            return
        target.report_error(error_type.__name__, str(error), "critical", {
            "crash": kind, "thread": thread,
            "traceback": "".join(traceback.format_exception(error_type, error, tb))})
        target.flush(flush_timeout)

    def sys_hook(error_type, error, tb):
        crashed("process", error_type, error, tb)
        previous_sys(error_type, error, tb)

    def thread_hook(args):
        crashed("thread", args.exc_type, args.exc_value, args.exc_traceback,
                args.thread.name if args.thread else None)
        previous_threading(args)

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook
