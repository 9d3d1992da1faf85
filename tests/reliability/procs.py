"""A ``mockserver serve`` subprocess on a free loopback port, and ways to end it (only the ones we started)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30
TAIL_LINES = 200  # what is kept of a child's output once it runs (for a failure's message)


def python_env(**extra) -> dict:
    """The environment for a child: the worktree importable, quiet logs, plus ``extra``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOCKSERVER_ACCESS_LOG": "false", **extra}
    env.pop("MOCKSERVER_PORT", None)
    return env


class ServerProcess:
    """``python -m mockserver serve --port 0 --storage PATH``; ``url`` is read from its banner. Once it runs, its
    output is read on (by two threads, into ``tail``): a pipe nobody reads fills at 64 KB and the server's next
    log line blocks the thread writing it, with whatever lock it holds (a long soak's history-bound warnings did)."""

    def __init__(self, storage: str = "memory", **env):
        cmd = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", "0",
               "--storage", storage, "--quiet"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=python_env(**env), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.url = self._read_url()
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self.drains = [threading.Thread(target=self._drain, args=(pipe,), daemon=True)
                       for pipe in (self.proc.stdout, self.proc.stderr)]
        for t in self.drains:
            t.start()

    def _drain(self, pipe) -> None:
        try:
            for line in pipe:
                self.tail.append(line)
        except (OSError, ValueError):  # closed by wait()
            pass

    def _read_url(self) -> str:
        line = self.proc.stdout.readline()  # "Webex Contact Center mock listening on http://127.0.0.1:PORT"
        if "listening on " not in line:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.proc.stderr.read()[-2000:]}")
        url = line.rsplit(" ", 1)[1].strip()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as resp:
                    if resp.status == 200:
                        return url
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server did not answer /health")

    def signal(self, sig: int) -> None:
        """Send ``sig`` to this process (by its pid)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def wait(self, timeout: float = 30) -> int:
        """Wait for the exit code (then the pipes are drained and closed)."""
        try:
            code = self.proc.wait(timeout)
        finally:
            for t in getattr(self, "drains", ()):
                t.join(5)  # the child is gone: its pipes end
            for pipe in (self.proc.stdout, self.proc.stderr):
                if pipe:
                    pipe.close()
        return code

    def kill(self) -> None:
        """SIGKILL and reap."""
        self.signal(signal.SIGKILL)
        self.wait()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.kill()


def kill_during(srv: ServerProcess, stop: threading.Event, delay: float, threads: list[threading.Thread],
                join: float = 30) -> None:
    """Start the client threads, SIGKILL the server after ``delay`` seconds, tell the threads to stop and wait for
    them (each at most ``join`` seconds): the shape of every crash round."""
    for t in threads:
        t.start()
    time.sleep(delay)
    srv.kill()
    stop.set()
    for t in threads:
        t.join(join)
