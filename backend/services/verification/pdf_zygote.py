"""The web worker's side of the PDF check (pdf_worker.py): one zygote per worker process, started on the first
PDF, that has pyHanko and PDFium imported and warm and forks a child for each request.

    answer, rows = run(options, pdf_bytes, seconds=4)      # may raise DocumentRejected / DocumentCheckUnavailable

Each request gets a socket pair of its own: one end goes to the zygote with SCM_RIGHTS, the zygote forks, the
child reads the options and the PDF from it, sets its memory and CPU limits, checks, answers, and exits; the
zygote sends back a pidfd of the child, with which the worker kills it when the wall-clock time is up. A child that
dies without a whole answer (its CPU or memory limit, a crash of PDFium on a hostile file) is a PDF too
complex to check. The zygote ends when its worker does (its control socket reaches EOF).
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from backend.services.verification.errors import DocumentCheckUnavailable, DocumentRejected

WORKER = Path(__file__).with_name("pdf_worker.py")
START_SECONDS = 20          # imports and warm-up take about 0.6 s; a loaded machine may need more
HEADER = struct.Struct(">I")
MAX_ANSWER_HEADER = 1024 * 1024


class _Zygote:
    def __init__(self):
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.owner = 0

    def _start(self) -> None:
        self._stop()
        mine, theirs = socket.socketpair()
        try:
            self.proc = subprocess.Popen([sys.executable, "-I", str(WORKER), "serve", str(theirs.fileno())],
                                         pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.owner = os.getpid()
        except OSError:
            mine.close()
            raise DocumentCheckUnavailable() from None
        finally:
            theirs.close()
        mine.settimeout(START_SECONDS)
        try:
            ready = mine.recv(1)
        except OSError:
            ready = b""
        if ready != b"R":
            mine.close()
            self._stop()
            raise DocumentCheckUnavailable()
        mine.settimeout(10)
        self.control, self.owner = mine, os.getpid()

    def _stop(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.proc is not None and self.owner == os.getpid():
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def fork(self, theirs: socket.socket) -> int | None:
        """Hand one end of a request's socket pair to a new child: a pidfd of the child (None where the system
        has none; the child then ends by itself, its limits bound it)."""
        with self.lock:
            for attempt in (1, 2):
                if self.control is None or self.owner != os.getpid() or self.proc.poll() is not None:
                    if self.owner != os.getpid():      # a zygote inherited across a fork belongs to the parent
                        if self.control is not None:
                            self.control.close()
                        self.control, self.proc = None, None
                    self._start()
                try:
                    socket.send_fds(self.control, [b"C"], [theirs.fileno()])
                    raw, fds, _, _ = socket.recv_fds(self.control, 4, 1)
                    if len(raw) != 4:
                        raise EOFError
                    break
                except (OSError, EOFError):
                    self._stop()
                    if attempt == 2:
                        raise DocumentCheckUnavailable() from None
        (pid,) = struct.unpack(">i", raw)
        if pid <= 0:                                   # the zygote could not fork
            for fd in fds:
                os.close(fd)
            raise DocumentCheckUnavailable()
        return fds[0] if fds else None

    def close(self) -> None:
        with self.lock:
            self._stop()


_ZYGOTE = _Zygote()
atexit.register(_ZYGOTE.close)


def _read_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def run(options: dict, data: bytes, *, seconds: float, max_rows_bytes: int) -> tuple[dict, bytes]:
    """The child's answer (an `{"error": ...}` raised as DocumentRejected) and the bitmap's rows."""
    mine, theirs = socket.socketpair()
    pidfd, done = None, False
    try:
        try:
            pidfd = _ZYGOTE.fork(theirs)
        finally:
            theirs.close()
        end = time.monotonic() + seconds
        try:
            body = json.dumps(options).encode()
            _with_deadline(mine, end, lambda: mine.sendall(HEADER.pack(len(body)) + body))
            _with_deadline(mine, end, lambda: mine.sendall(data))
            mine.shutdown(socket.SHUT_WR)
            (size,) = HEADER.unpack(_with_deadline(mine, end, lambda: _read_exact(mine, HEADER.size)))
            if size > MAX_ANSWER_HEADER:
                raise EOFError
            answer = json.loads(_with_deadline(mine, end, lambda: _read_exact(mine, size)))
            if "error" in answer:
                done = True
                code = answer.pop("error")
                raise DocumentRejected(code if code in DocumentRejected.TEXT else "pdf_unreadable", answer)
            r = answer["render"]
            rows = r["height"] * r["stride"]
            if not (0 < r["width"] <= r["stride"] and 0 < rows <= max_rows_bytes):
                raise EOFError
            bitmap = _with_deadline(mine, end, lambda: _read_exact(mine, rows))
            done = True
        except TimeoutError:
            raise DocumentRejected("pdf_too_complex", {"reason": "time", "seconds": seconds}) from None
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            # the child died before its whole answer: a limit of memory or CPU, or PDFium gave up on the file
            raise DocumentRejected("pdf_too_complex", {"reason": "resources"}) from None
        return answer, bitmap
    finally:
        mine.close()
        if pidfd is not None:
            if not done:
                try:
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                except OSError:                       # it has already ended
                    pass
            os.close(pidfd)


def _with_deadline(sock: socket.socket, end: float, op):
    """op() on the socket with what is left of the time (TimeoutError when it runs out)."""
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError
    sock.settimeout(left)
    return op()
