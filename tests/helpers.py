"""Helpers shared by several test packages: a live uvicorn server and stopping a process group for good."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a background thread: the real server's path decoding, not
    TestClient's (which decodes a path twice, so an id holding '%' would be tested wrong)."""

    def __init__(self, app: Any, log_level: str = "warning") -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level=log_level))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def group_alive(pgid: int) -> bool:
    """Whether any process is left in process group ``pgid``."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _group_gone(proc: subprocess.Popen[Any], seconds: float) -> bool:
    """Wait up to ``seconds`` for every process of ``proc``'s group to exit."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        proc.poll()                          # reap the leader, or it stays a zombie member of the group
        if not group_alive(proc.pid):
            return True
        time.sleep(0.1)
    return False


def stop_group(proc: subprocess.Popen[Any], grace: float = 30) -> None:
    """End ``proc`` (started with ``start_new_session=True``) and every process in its group: SIGTERM, wait
    until the whole group is gone, SIGKILL what is left after ``grace`` seconds. Waiting on ``proc`` alone
    is not enough: a shell dies at once while the command it started may take a while to unwind."""
    for sig, seconds in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        if _group_gone(proc, seconds):
            break
    proc.wait(timeout=10)
