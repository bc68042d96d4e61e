"""Warm kernels: start each report's kernel by forking a process that has already imported
ipykernel, pandas, Altair and casekit, instead of paying those imports for every report.

Three parts:

* the *zygote* (``python -m casekit.warm serve SOCKET``) imports everything once, then waits on a
  Unix socket; for each request it forks, and the child becomes an IPython kernel on the
  connection file it was given. The zygote never runs notebook code, so every kernel starts from
  the same pristine state and no report's state can reach another.
* the *launcher* (``python -m casekit.warm launch CONNECTION_FILE``) is what jupyter_client starts
  as "the kernel process": it asks the zygote for a kernel, forwards interrupts and termination to
  it, and exits when it exits. If the launcher is killed, the kernel notices and exits too.
* :class:`WarmKernelManager`, the jupyter_client kernel manager that runs the launcher in place of
  ``ipykernel_launcher``; :class:`Zygote` starts and stops the zygote around a build.

Linux and macOS only (fork and Unix sockets); elsewhere builds use ordinary kernels.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SOCKET_ENV = "CASEKIT_ZYGOTE"
PRELOAD = ("ipykernel.kernelapp", "pandas", "altair", "vl_convert", "casekit.case", "casekit.charts", "casekit.checks", "casekit.params")


def supported() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and sys.platform != "win32"


# ---- the zygote ------------------------------------------------------------------------------------

def serve(path: str) -> None:
    # Forking a process whose numeric libraries started thread pools can deadlock the child.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    import importlib
    import pkgutil

    for module in PRELOAD:
        importlib.import_module(module)
    import casekit.chapters

    for info in pkgutil.iter_modules(casekit.chapters.__path__):
        importlib.import_module(f"casekit.chapters.{info.name}")
    from casekit import data

    try:  # the tables are read-only and cached by path and mtime: children share the parsed frames
        for name in data.package().names:
            data.load(name)
    except Exception:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        request = json.loads(_read_line(connection))
        pid = os.fork()
        if pid == 0:
            server.close()
            connection.close()
            _become_kernel(request)
        connection.sendall(f"{pid}\n".encode())
        connection.close()


def _read_line(connection: socket.socket) -> str:
    chunks = b""
    while not chunks.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        chunks += chunk
    return chunks.decode()


def _become_kernel(request: dict) -> None:
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        _exit_with(request["launcher"])
        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=["-f", request["connection_file"]])
    finally:
        os._exit(0)


def _exit_with(pid: int) -> None:
    """Exit as soon as the launcher that jupyter_client watches is gone (e.g. killed)."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)
            select.select([handle], [], [])
        except (AttributeError, OSError):
            while process_alive(pid):
                time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (whoever owns it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---- the launcher --------------------------------------------------------------------------------

def launch(connection_file: str) -> int:
    path = os.environ[SOCKET_ENV]
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)
    request = {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ), "launcher": os.getpid()}
    client.sendall((json.dumps(request) + "\n").encode())
    pid = int(_read_line(client))
    client.close()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda s, _f: _forward(pid, s))
    try:
        handle = os.pidfd_open(pid)
        while True:
            try:
                select.select([handle], [], [])
                break
            except InterruptedError:
                continue
    except (AttributeError, OSError):
        while process_alive(pid):
            time.sleep(0.05)
    return 0


def _forward(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
    if signum != signal.SIGINT:
        sys.exit(0)


# ---- inside the build ------------------------------------------------------------------------------

def kernel_manager_class():
    """jupyter_client's async kernel manager, starting kernels through the launcher."""
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            command = super().format_kernel_cmd(extra_arguments)
            connection_file = command[command.index("-f") + 1]
            return [sys.executable, "-m", "casekit.warm", "launch", connection_file]

    return WarmKernelManager


class Zygote:
    """The pre-imported process that warm kernels are forked from, for the length of a build."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="casekit-warm-")
        self.path = str(Path(self.folder) / "zygote.sock")
        self.process = subprocess.Popen([sys.executable, "-m", "casekit.warm", "serve", self.path],
                                        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        ready = self.process.stdout.readline().strip()
        if ready != "ready":
            self.close()
            raise RuntimeError("the warm-kernel process did not start")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for leftover in Path(self.folder).glob("*"):
            leftover.unlink(missing_ok=True)
        os.rmdir(self.folder)

    def __enter__(self) -> "Zygote":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    if command == "serve":
        serve(argument)
    elif command == "launch":
        sys.exit(launch(argument))
