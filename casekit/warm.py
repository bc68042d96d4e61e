"""Warm kernels: start each report's kernel by forking a process that has already imported
ipykernel, pandas, Altair and casekit, instead of paying those imports for every report.

Three parts:

* the *zygote* (``python -m casekit.warm serve SOCKET``) imports everything once, then waits on a
  Unix socket; for each request it forks, and the child becomes an IPython kernel on the
  connection file it was given. The zygote never runs notebook code, so every kernel starts from
  the same pristine state and no report's state can reach another. A malformed request gets an
  ``error: ...`` reply and the zygote goes on serving; it exits when the build that started it
  is gone (its stdin closes).
* the *launcher* (``python -m casekit.warm launch CONNECTION_FILE [OPTION...]``) is what jupyter_client starts
  as "the kernel process": it asks the zygote for a kernel, forwards interrupts and termination to
  it, and exits when it exits. If the launcher is killed, the kernel notices and exits too.
* :class:`WarmKernelManager`, the jupyter_client kernel manager that runs the launcher in place of
  ``ipykernel_launcher`` when the kernel asked for is this Python's own ipykernel (any other
  kernel starts as its kernel spec says); :class:`Zygote` starts and stops the zygote around a build.

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
import uuid
from contextlib import contextmanager
from pathlib import Path

SOCKET_ENV = "CASEKIT_ZYGOTE"
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    "ipykernel.debugger",  # debugpy: a tenth of a second in every kernel otherwise
    "IPython.core.completer", "IPython.extensions", "sqlite3", "pdb", "xmlrpc.server", "psutil",
    "pandas", "altair", "vl_convert", "casekit.case", "casekit.charts", "casekit.checks", "casekit.params",
)
REQUEST_FIELDS = {"connection_file": str, "arguments": list, "cwd": str, "env": dict, "launcher": int}


# jsonschema (under nbformat and Altair) imports rfc3987_syntax when it is installed (it comes with
# jupyter-events' format extras); that module compiles dozens of grammars when imported, over a
# second, for IRI format checks that neither nbformat nor Altair use. A build's processes skip it.
SLOW_OPTIONAL_IMPORTS = ("rfc3987_syntax",)


@contextmanager
def without_slow_optional_imports():
    """Modules imported meanwhile see :data:`SLOW_OPTIONAL_IMPORTS` as not installed (later imports do)."""
    skipped = [name for name in SLOW_OPTIONAL_IMPORTS if name not in sys.modules]
    for name in skipped:
        sys.modules[name] = None  # "import" raises ImportError, which jsonschema expects for optional extras
    try:
        yield
    finally:
        for name in skipped:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def supported() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and sys.platform != "win32"


def is_this_python(argv: list[str]) -> bool:
    """Whether a kernel command is exactly this interpreter's ipykernel (the command a warm kernel
    replaces). jupyter_client runs ``python``/``python3`` as this interpreter, so those count too."""
    interpreters = {sys.executable, "python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    return (len(argv) == 5 and argv[0] in interpreters and argv[1] == "-m"
            and argv[2] in ("ipykernel_launcher", "ipykernel") and argv[3] == "-f")


# ---- the zygote ------------------------------------------------------------------------------------

def serve(path: str) -> None:
    # Forking a process whose numeric libraries started thread pools can deadlock the child.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    # debugpy warns on stderr, in the build's terminal, that frozen modules may hide breakpoints.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    _preload()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    # Reap each kernel as it ends (waiting, not ignoring SIGCHLD, so that the kernels' CPU time counts
    # in this process's children and reaches whoever waits for it: `time casekit build` tells the truth).
    signal.signal(signal.SIGCHLD, _reap)
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([server, sys.stdin], [], [])
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1024):
            return  # the build that started us is gone
        if server in readable:
            connection, _ = server.accept()
            with connection:
                answer(connection, server)


def _reap(_signum=None, _frame=None) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def _preload() -> None:
    import importlib
    import pkgutil

    with without_slow_optional_imports():
        for module in PRELOAD:
            importlib.import_module(module)
    import casekit.chapters

    for info in pkgutil.iter_modules(casekit.chapters.__path__):
        importlib.import_module(f"casekit.chapters.{info.name}")
    from casekit import data

    try:  # the tables are read-only and cached by path and mtime: children share the parsed frames
        for name in data.package().names:
            data.load(name)
    except Exception:  # noqa: BLE001 - a broken data package fails in the notebook, with its own message
        pass
    try:  # the chapters' templates compiled and their exercises read once, not in every kernel
        from casekit import exercises, narrative
        from casekit.notebooks import INSTRUCTOR_ONLY, NOTEBOOKS

        env = narrative.environment()
        for chapter in narrative.chapters():
            env.get_template(narrative.template_name(chapter))
        for notebook in [*NOTEBOOKS, *INSTRUCTOR_ONLY]:
            exercises.for_notebook(notebook)
    except Exception:  # noqa: BLE001 - a broken template fails in the notebook that uses it, with its own message
        pass
    try:  # Altair loads its schema and builds its validator on the first chart: do it once here
        import altair as alt
        import pandas as pd

        alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    except Exception:  # noqa: BLE001
        pass


def answer(connection: socket.socket, server: socket.socket) -> None:
    """Serve one request: fork a kernel and reply with its pid, or reply ``error: ...``."""
    connection.settimeout(10)  # a client that never finishes its request must not stop the others
    try:
        request = parse_request(_read_line(connection))
        pid = os.fork()
    except (ValueError, OSError) as error:
        try:
            connection.sendall(f"error: {error}\n".encode())
        except OSError:
            pass
        return
    if pid == 0:
        server.close()
        connection.close()
        _become_kernel(request)
    try:
        connection.sendall(f"{pid}\n".encode())
    except OSError:  # the launcher is gone: so is the reason for this kernel
        os.kill(pid, signal.SIGKILL)


def parse_request(line: str) -> dict:
    """A launcher's request, checked; ValueError says what is wrong with it."""
    try:
        request = json.loads(line)
    except ValueError:
        raise ValueError("malformed request: not a line of JSON") from None
    if not isinstance(request, dict):
        raise ValueError("malformed request: expected a JSON object")
    for name, kind in REQUEST_FIELDS.items():
        if not isinstance(request.get(name), kind):
            raise ValueError(f"malformed request: {name!r} missing or not {kind.__name__}")
    if not os.path.isdir(request["cwd"]):
        raise ValueError(f"no folder {request['cwd']!r} to start the kernel in")
    return request


def _read_line(connection: socket.socket) -> str:
    chunks = b""
    while not chunks.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        chunks += chunk
    return chunks.decode("utf-8", errors="replace")


def _become_kernel(request: dict) -> None:
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in request["env"].items()})
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        _exit_with(request["launcher"])
        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
        from ipykernel.kernelapp import IPKernelApp

        # The kernel's options as jupyter_client gave them (nbclient keeps IPython's history in memory).
        IPKernelApp.launch_instance(argv=["-f", request["connection_file"], *map(str, request["arguments"])])
        code = 0
    finally:
        os._exit(code)


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

def launch(connection_file: str, arguments: list[str]) -> int:
    path = os.environ.get(SOCKET_ENV, "")
    request = {"connection_file": connection_file, "arguments": arguments, "cwd": os.getcwd(), "env": dict(os.environ),
               "launcher": os.getpid()}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            client.sendall((json.dumps(request) + "\n").encode())
            reply = _read_line(client).strip()
    except OSError as error:
        print(f"casekit: the warm-kernel process at {path!r} cannot be reached ({error})", file=sys.stderr)
        return 1
    if not reply.isdigit():
        print(f"casekit: the warm-kernel process refused to start a kernel ({reply or 'no reply'})", file=sys.stderr)
        return 1
    pid = int(reply)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda s, _f: _forward(pid, s))
    parent = os.getppid()
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    while True:  # until the kernel exits
        if handle is not None:
            if select.select([handle], [], [], 1.0)[0]:
                return 0
        elif process_alive(pid):
            time.sleep(0.05)
        else:
            return 0
        if os.getppid() != parent:  # the build that wanted this kernel was killed: nobody else will stop it
            _forward(pid, signal.SIGKILL)


def _forward(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
    if signum != signal.SIGINT:
        sys.exit(0)


# ---- inside the build ------------------------------------------------------------------------------

def kernel_manager_class():
    """jupyter_client's async kernel manager, starting this Python's kernel through the launcher."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode, default

    class WarmKernelClient(AsyncKernelClient):
        def start_channels(self, *args, **kwargs):
            import zmq

            # The channels connect before the kernel has bound its sockets; ZeroMQ then retries every
            # 100 ms by default, which a warm kernel (ready in a tenth of a second) waits out.
            self.context.setsockopt(zmq.RECONNECT_IVL, 10)
            return super().start_channels(*args, **kwargs)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """Ready once a kernel_info request is answered on the shell channel and its status
            reaches IOPub; unlike the default, no fixed pause to drain IOPub afterwards."""
            from queue import Empty

            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while True:
                request = self.kernel_info()
                while True:  # the reply comes as soon as the kernel runs
                    try:
                        reply = await self.shell_channel.get_msg(timeout=0.2)
                    except Empty:
                        if not await self.is_alive():
                            raise RuntimeError("Kernel died before replying to kernel_info") from None
                        if time.monotonic() > deadline:
                            raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds") from None
                        continue
                    if reply["parent_header"].get("msg_id") == request:
                        self._handle_kernel_info_reply(reply)
                        break
                # The kernel's status for that request reaches IOPub only once our subscription has
                # joined (ZeroMQ's slow joiner); if it has not come by now, ask again.
                until = time.monotonic() + 0.05
                while time.monotonic() < until:
                    try:
                        message = await self.iopub_channel.get_msg(timeout=0.02)
                    except Empty:
                        continue
                    if (message["parent_header"].get("msg_id") == request
                            and message["content"].get("execution_state") == "idle"):
                        return

    class WarmKernelManager(AsyncKernelManager):
        zygote = Unicode(help="the warm-kernel process's socket (default: $CASEKIT_ZYGOTE, as a build's workers set it)")

        @default("zygote")
        def _zygote_default(self):
            return os.environ.get(SOCKET_ENV, "")

        @default("client_factory")
        def _client_factory_default(self):
            return WarmKernelClient

        def _warm(self) -> bool:
            return bool(self.zygote) and is_this_python(self.kernel_spec.argv)

        @default("transport")
        def _transport_default(self):
            # Unix sockets, not TCP: jupyter_client picks free TCP ports before the kernel binds them, and
            # two kernels starting at once can pick the same one.
            return "ipc" if self._warm() else "tcp"

        @default("ip")
        def _ip_default(self):
            if self.transport != "ipc":
                return super()._ip_default()
            # In the warm-kernel process's folder, removed with it; unique to this kernel.
            return os.path.join(os.path.dirname(self.zygote), f"kernel-{uuid.uuid4().hex[:12]}")

        async def _async_wait(self, pollinterval: float = 0.01) -> None:
            # jupyter_client checks every 0.1 s whether a stopped kernel is gone: a tenth of a second per
            # report; a killed launcher is gone at once.
            await super()._async_wait(pollinterval=min(pollinterval, 0.01))

        def format_kernel_cmd(self, extra_arguments=None):
            command = super().format_kernel_cmd(extra_arguments)
            if self._warm() and len(command) >= 5 and is_this_python([*command[:4], "{connection_file}"]):
                return [sys.executable, "-m", "casekit.warm", "launch", *command[4:]]  # the connection file, then options
            return command  # another kernel: start it as its spec says

    return WarmKernelManager


class Zygote:
    """The pre-imported process that warm kernels are forked from, for the length of a build.

    It starts importing at once; :meth:`wait_ready` waits for it, so a build can do other work
    (load papermill and nbconvert, fork its workers) meanwhile.
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="casekit-warm-")
        self.path = str(Path(self.folder) / "zygote.sock")
        # stdin is a pipe from this process: when it closes (this process ended, however), the zygote exits.
        self.process = subprocess.Popen([sys.executable, "-m", "casekit.warm", "serve", self.path],
                                        stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
        self._ready: bool | None = None

    def wait_ready(self, timeout: float = 120) -> bool:
        """Whether the zygote is serving (False, and it is stopped, if it failed to start)."""
        if self._ready is None:
            readable, _, _ = select.select([self.process.stdout], [], [], timeout)
            self._ready = bool(readable) and self.process.stdout.readline().strip() == "ready"
            if not self._ready:
                self.close()
        return self._ready

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        for leftover in Path(self.folder).glob("*"):
            leftover.unlink(missing_ok=True)
        try:
            os.rmdir(self.folder)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "Zygote":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    if command == "serve":
        serve(argument)
    elif command == "launch":
        sys.exit(launch(argument, sys.argv[3:]))
