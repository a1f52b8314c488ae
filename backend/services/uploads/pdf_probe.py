"""Inspect one PDF in a child process whose memory and CPU time the OS bounds (run by content.check_pdf).

    python -I pdf_probe.py MAX_PAGES < file.pdf      ->  {"pages": 3} or {"error": "pdf_encrypted", ...}

Why a child: pypdf is pure Python, and a hostile 5 MB PDF can make it build millions of objects (one array
of 2.5 million numbers) or inflate object streams of 75 MB each; pypdf's own limits bound each structure, not
their sum. Here RLIMIT_AS and RLIMIT_CPU bound the sum: the parent sees a MemoryError, a kill or a
timeout as "too complex", and its own memory is untouched. Runs as a script (python -I, standard library and
pypdf only): importing the backend package would load Flask and cost a quarter of a second.

What is refused, wherever it sits among the objects reachable from the trailer: encryption; JavaScript (the
/JavaScript name tree, /JS entries, actions of type JavaScript, XFA forms, which carry scripts); Launch
actions; embedded files (the /EmbeddedFiles name tree, file specifications with /EF, embedded-file streams,
file-attachment annotations); no page at all.
"""
from __future__ import annotations

import json
import re
import resource
import sys

MEMORY_BYTES = 80 * 1024 * 1024   # address space the parse may add to the interpreter's
CPU_SECONDS = 3
MAX_OBJECTS = 20_000              # reachable indirect objects: a 100-page office document has a few thousand
MAX_DEPTH = 64                    # direct objects nested inside one indirect object
STREAM_BYTES = 16 * 1024 * 1024   # the most one stream may inflate to (pypdf's default is 75 MB)


class TooComplex(Exception):
    pass


def _limit_resources() -> None:
    """Never above a hard limit the process already has (a container's ulimit): setrlimit would refuse."""
    try:
        with open("/proc/self/status") as status:
            vm = int(re.search(r"VmSize:\s+(\d+)", status.read()).group(1)) * 1024
    except (OSError, AttributeError):
        vm = 0
    limits = [(resource.RLIMIT_CPU, CPU_SECONDS, CPU_SECONDS + 1)]
    if vm:
        limits.append((resource.RLIMIT_AS, vm + MEMORY_BYTES, vm + MEMORY_BYTES))
    for kind, soft, hard in limits:
        _, current = resource.getrlimit(kind)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(kind, (soft, hard))


def _name(value) -> str | None:
    value = value.get_object() if hasattr(value, "get_object") else value
    return value if isinstance(value, str) else None


def finding(d: dict) -> tuple[str, str] | None:
    """(error code, what) when a dictionary is active content or an embedded file."""
    if "/JS" in d or "/JavaScript" in d:
        return "pdf_active_content", "JavaScript"
    if "/XFA" in d:
        return "pdf_active_content", "XFA"
    action = _name(dict.get(d, "/S"))
    if action in ("/JavaScript", "/Launch"):
        return "pdf_active_content", action[1:]
    if "/EmbeddedFiles" in d or "/EF" in d or _name(dict.get(d, "/Type")) == "/EmbeddedFile" \
            or _name(dict.get(d, "/Subtype")) == "/FileAttachment":
        return "pdf_embedded_files", "EmbeddedFile"
    return None


def walk(reader) -> tuple[str, str] | None:
    """Every object reachable from the trailer, depth first, each indirect object once; stream data is
    never decoded (only their dictionaries are looked at)."""
    from pypdf.generic import IndirectObject
    stack, seen = [(reader.trailer, 0)], set()
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > MAX_OBJECTS:
                raise TooComplex("objects")
            obj, depth = obj.get_object(), 0
        if depth > MAX_DEPTH:
            raise TooComplex("depth")
        if isinstance(obj, dict):
            found = finding(obj)
            if found:
                return found
            stack.extend((v, depth + 1) for k, v in dict.items(obj) if k != "/Parent")
        elif isinstance(obj, list):
            stack.extend((v, depth + 1) for v in obj)
    return None


def inspect(data: bytes, max_pages: int) -> dict:
    from io import BytesIO

    from pypdf import PdfReader
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:
        # an /Encrypt dictionary pypdf cannot even read is still encryption
        return {"error": "pdf_encrypted" if b"/Encrypt" in data else "pdf_unreadable"}
    if encrypted:
        return {"error": "pdf_encrypted"}
    pages = len(reader.pages)
    if pages == 0:
        return {"error": "pdf_no_pages"}
    if pages > max_pages:
        return {"error": "pdf_too_complex", "found": f"{pages} pages", "max_pages": max_pages}
    found = walk(reader)
    if found:
        return {"error": found[0], "found": found[1]}
    return {"pages": pages}


def main() -> None:
    max_pages = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    data = sys.stdin.buffer.read()
    import pypdf
    from pypdf.errors import LimitReachedError
    limits = dict.fromkeys(("maximum_declared_stream_length", "zlib_maximum_output_length", "lzw_maximum_output_length",
                            "run_length_maximum_output_length", "array_based_stream_maximum_output_length",
                            "brotli_maximum_output_length", "jbig2_maximum_output_length", "image_maximum_buffer_size"),
                           STREAM_BYTES)
    pypdf.overwrite_configuration(**limits)
    _limit_resources()
    try:
        verdict = inspect(data, max_pages)
    except (TooComplex, LimitReachedError, MemoryError, RecursionError) as e:
        verdict = {"error": "pdf_too_complex", "found": type(e).__name__}
    except Exception:          # pypdf raises many types for damaged files
        verdict = {"error": "pdf_unreadable"}
    sys.stdout.write(json.dumps(verdict))


if __name__ == "__main__":
    main()
