"""Run one submitted notebook in a kernel of its own, under limits, and read its answers out.

:func:`run_submission` is a plain function of plain data (a task dict in, a result dict out), so
any ``concurrent.futures.Executor`` runs it: a thread pool on one machine, a Dask client's
executor on a cluster, as the batch build does. Each run:

1. starts a kernel (forked from the build's warm-kernel process when one is given, see
   :mod:`casekit.warm`; an ordinary kernel otherwise, or when the warm one cannot start), with a
   fresh scratch folder as its working directory and as its IPython folder (so no startup file or
   history that one submission leaves behind is read by the next);
2. caps the kernel's address space (``RLIMIT_AS``: the size it has at start plus ``memory_mb``),
   before any of the student's code runs, soft and hard, so the code cannot raise it (unless the
   grader runs with ``CAP_SYS_RESOURCE``, e.g. as root outside a container);
3. executes every code cell in order, going on after a cell that raises (as a student's "Run All"
   would not, so that one broken answer does not cost the others), within one time limit for the
   whole notebook, counting the output it prints against ``output_limit_mb`` without keeping it;
4. reads the answer variables with :func:`casekit.answers.readout_code`;
5. kills the kernel and every process in its process group, and deletes the scratch folder.

A limit that is hit, a kernel that stops, or a readout that cannot be read ends the run with
``ok: False`` and a one-line ``reason``; the grader turns that into ``error`` rows.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty

from . import answers

STARTUP_TIMEOUT = 60  # seconds for a kernel to start and answer
POLL = 0.5  # seconds between checks that the kernel is still alive
MAX_RECORDED_ERRORS = 50

# Runs first, in a namespace of its own (a name left in the notebook's namespace would look like an
# unknown parameter to open_case). MEMORY is the bytes the student's code may add.
_PRELUDE = r'''
import json, os, resource
limit = None
if MEMORY and os.path.exists("/proc/self/status"):
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    limit = size + MEMORY
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
print(json.dumps({"pid": os.getpid(), "pgid": os.getpgid(0), "limit": limit}))
'''


INTERRUPT = threading.Event()  # set by the grader to stop every run in this process (e.g. on Ctrl-C)


class Stopped(Exception):
    """The run was stopped; the message is the one-line reason."""


def run_submission(task: dict) -> dict:
    """Run one submission. ``task`` holds plain data:

    ``key`` (returned as is), ``cells`` (``[cell number, source]`` of each code cell, numbered as in
    the notebook from 1), ``variables`` (the answer variables to read), ``timeout`` (seconds for all
    cells together), ``memory_mb``, ``output_limit_mb``, ``kernel_name``, ``zygote`` (the warm-kernel
    socket, or None).

    Returns ``{key, ok, reason, cell, values, errors, seconds}``: ``cell`` is the cell that was running
    when the run was stopped (or None), ``values`` maps each variable to the data
    the readout sent (decode it with :func:`casekit.answers.decode`), ``errors`` lists the cells that
    raised (``{cell, ename, evalue}``).
    """
    started = time.perf_counter()
    try:
        result = asyncio.run(_Run(task).run())
    except Stopped as stop:
        result = {"ok": False, "reason": str(stop), "values": None, "errors": []}
    except Exception as failure:  # a bug or an unforeseen kernel state: this submission's error, not the batch's
        result = {"ok": False, "reason": f"the grader could not run it ({type(failure).__name__}: {_line(failure)})",
                  "values": None, "errors": []}
    return {"key": task["key"], **result, "seconds": round(time.perf_counter() - started, 3)}


class _Run:
    def __init__(self, task: dict):
        self.task = task
        self.memory = int(task["memory_mb"]) * 2**20 if task.get("memory_mb") else 0
        self.output_limit = int(float(task["output_limit_mb"]) * 2**20)
        self.output = 0
        self.errors: list[dict] = []
        self.kernel_pid = self.kernel_pgid = None
        self.km = self.kc = None
        self.deadline = 0.0
        self.where = "while the kernel was prepared"
        self.cell: int | None = None  # the cell running, numbered as in the notebook

    async def run(self) -> dict:
        scratch = Path(tempfile.mkdtemp(prefix="casekit-grade-"))
        try:
            await self._start(scratch)
            self.deadline = time.monotonic() + float(self.task["timeout"])
            await self._prelude()
            for number, source in self.task["cells"]:
                self.where, self.cell = f"in cell {number}", number
                reply = await self._execute(source)
                if reply.get("status") == "error":
                    if reply.get("ename") == "MemoryError":
                        raise Stopped(f"ran out of memory: the {self.task['memory_mb']} MB limit was reached in cell {number}")
                    if len(self.errors) < MAX_RECORDED_ERRORS:
                        self.errors.append({"cell": number, "ename": _short(reply.get("ename")), "evalue": _short(reply.get("evalue"))})
            self.where, self.cell = "while its answers were read", None
            values = await self._readout()
            return {"ok": True, "reason": "", "values": values, "errors": self.errors}
        except Stopped as stop:
            return {"ok": False, "reason": str(stop), "cell": self.cell, "values": None, "errors": self.errors}
        finally:
            await self._stop()
            shutil.rmtree(scratch, ignore_errors=True)

    # ---- kernel life ------------------------------------------------------------------------------
    async def _start(self, scratch: Path) -> None:
        (scratch / "ipython").mkdir()
        env = {**os.environ, "IPYTHONDIR": str(scratch / "ipython")}
        zygote = self.task.get("zygote")
        try:
            await self._launch(scratch, env, zygote)
        except Exception as failure:
            if not zygote:
                raise Stopped(f"the kernel did not start ({_line(failure)})") from None
            await self._stop()  # the warm-kernel process is gone (or refused): an ordinary kernel then
            try:
                await self._launch(scratch, env, None)
            except Exception as again:
                raise Stopped(f"the kernel did not start ({_line(again)})") from None

    async def _launch(self, scratch: Path, env: dict, zygote: str | None) -> None:
        from jupyter_client.manager import AsyncKernelManager

        if zygote:
            from . import warm

            env[warm.SOCKET_ENV] = zygote  # for the launcher, which asks the warm-kernel process for the kernel
            self.km = warm.kernel_manager_class()(kernel_name=self.task["kernel_name"], zygote=zygote)
        else:
            self.km = AsyncKernelManager(kernel_name=self.task["kernel_name"])
        self.km.connection_file = str(scratch / "kernel.json")
        # The kernel's own stdout and stderr go nowhere: a submission writes nothing to the instructor's terminal.
        await self.km.start_kernel(cwd=str(scratch), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        # The kernel has read its connection file; without it, other code cannot find the kernel's key.
        Path(self.km.connection_file).unlink(missing_ok=True)

    async def _stop(self) -> None:
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:
                pass
            self.kc = None
        if self.km is not None:
            try:
                if self.km.has_kernel:
                    await self.km.shutdown_kernel(now=True)
            except Exception:
                pass
            self.km = None
        # Whatever the student's code started in the kernel's process group goes with it.
        pgid = self.kernel_pgid
        if pgid and pgid == self.kernel_pid and pgid > 1 and pgid != os.getpgid(0):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    # ---- execution --------------------------------------------------------------------------------
    async def _prelude(self) -> None:
        printed = []
        code = f"exec({_PRELUDE!r}, {{'MEMORY': {self.memory}}})"
        reply = await self._execute(code, store_history=False, on_output=lambda msg: printed.append(msg))
        text = "".join(m["content"].get("text", "") for m in printed if m["msg_type"] == "stream")
        if reply.get("status") != "ok" or not text.strip():
            raise Stopped(f"the kernel could not be prepared ({_short(reply.get('ename'))}: {_short(reply.get('evalue'))})")
        facts = json.loads(text.strip().splitlines()[-1])
        self.kernel_pid, self.kernel_pgid = int(facts["pid"]), int(facts["pgid"])

    async def _readout(self) -> dict:
        nonce = os.urandom(16).hex()
        payloads = []

        def collect(msg: dict) -> None:
            data = msg["content"].get("data") if msg["msg_type"] == "display_data" else None
            if isinstance(data, dict) and answers.MIME in data:
                payloads.append(data[answers.MIME])

        reply = await self._execute(answers.readout_code(self.task["variables"], nonce), store_history=False, on_output=collect)
        mine = [p for p in payloads if isinstance(p, dict) and p.get("nonce") == nonce]
        if reply.get("status") != "ok" or len(mine) != 1 or not isinstance(mine[0].get("values"), dict):
            why = (f"{_short(reply.get('ename'))}: {_short(reply.get('evalue'))}" if reply.get("status") != "ok"
                   else f"{len(mine)} replies instead of one")
            raise Stopped(f"the answers could not be read out of the kernel ({why}); was something in the notebook changed that the grader relies on?")
        values = mine[0]["values"]
        return {name: values.get(name, {"$": "missing"}) for name in self.task["variables"]}

    async def _execute(self, code: str, store_history: bool = True, on_output=None) -> dict:
        """Run ``code``; return the execute reply's content. Raises Stopped on a limit or a dead kernel."""
        kc = self.kc
        msg_id = kc.execute(code, store_history=store_history, allow_stdin=False, stop_on_error=False)
        idle, reply = False, None
        while not (idle and reply is not None):
            remaining = self.deadline - time.monotonic()
            if INTERRUPT.is_set():
                raise Stopped("the grading was interrupted")
            if remaining <= 0:
                raise Stopped(f"ran longer than the {self.task['timeout']:g} s time limit {self.where}")
            try:
                if not idle:
                    msg = await kc.get_iopub_msg(timeout=min(remaining, POLL))
                    self._count(msg)
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                        idle = True
                    elif on_output is not None:
                        on_output(msg)
                else:
                    msg = await kc.get_shell_msg(timeout=min(remaining, POLL))
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply = msg["content"]
            except Empty:
                if not await self.km.is_alive():
                    raise Stopped(f"the kernel stopped {self.where} (the code ended its process, with os._exit() "
                                  "or a signal, or crashed it)") from None
        return reply

    def _count(self, msg: dict) -> None:
        content, kind = msg.get("content", {}), msg.get("msg_type")
        if kind == "stream":
            size = len(content.get("text", ""))
        elif kind in ("display_data", "execute_result", "update_display_data"):
            size = sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in content.get("data", {}).values())
        elif kind == "error":
            size = sum(len(line) for line in content.get("traceback", []))
        elif kind and kind.startswith("comm"):
            size = len(json.dumps(content))
        else:
            size = 0
        self.output += size
        if self.output > self.output_limit:
            raise Stopped(f"printed more than the {self.task['output_limit_mb']:g} MB output limit {self.where}")


def _line(error: object) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:200]


def _short(text: object, limit: int = 200) -> str:
    return str(text or "").splitlines()[0][:limit] if str(text or "").strip() else ""
