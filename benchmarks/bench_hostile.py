"""Benchmark: each hostile file of tests/hostile_files.py at full size (issue 15: the 99 MB shared-strings part, the
101 MB zip bomb), refused in a fresh process that reads it from disk as an upload would be: its time and the
process's peak resident memory (VmHWM; its peak after the imports, before the file is read, as the baseline).
Targets: each refusal ≤ 2 s and ≤ 200 MB.

Run: .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile_files as H  # noqa: E402

CHILD = """
import json, sys, time
from jixiao_core.errors import InputError
from jixiao_core.store import ingest
from jixiao_core.selfeval import read_workbook  # noqa: F401 - the workbook reader's imports in the baseline too
import pdfplumber, docx, jixiao_core.reader  # noqa: F401, E401 - what parsing imports, before the clock
def hwm():  # peak resident set of this address space, in MB (ru_maxrss would carry the parent's over exec)
    line = next(x for x in open("/proc/self/status") if x.startswith("VmHWM"))
    return int(line.split()[1]) / 1024
base = hwm()
data = open(sys.argv[2], "rb").read()
t0 = time.perf_counter()
try:
    ingest.parse_any(sys.argv[1], data)
    outcome = "ACCEPTED"
except InputError as e:
    outcome = e.message
seconds = time.perf_counter() - t0
print(json.dumps({"s": seconds, "peak": hwm(), "base": base, "outcome": outcome}))
"""


def cases():
    for h in H.CORPUS:
        yield h.key, h.name, h.build(True), h.message  # the message only for reading; the outcome is printed
    parts = H.docx_parts()
    yield "entity_in_docx_document", "实体.docx", H.with_dtd(parts, "word/document.xml"), "DTD"


def main() -> None:
    worst_s = worst_mb = 0.0
    print(f"{'file':40s} {'size':>9s} {'time':>9s} {'peak':>8s} {'base':>7s}  outcome")
    with tempfile.TemporaryDirectory() as d:
        for key, name, data, _message in cases():
            path = Path(d) / "upload"
            path.write_bytes(data)
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, name, str(path)], capture_output=True, text=True, cwd=ROOT
            )
            r = json.loads(proc.stdout)
            worst_s, worst_mb = max(worst_s, r["s"]), max(worst_mb, r["peak"])
            print(
                f"{key:40s} {len(data) / 1024:7.0f}KB {1000 * r['s']:7.0f}ms {r['peak']:6.0f}MB "
                f"{r['base']:5.0f}MB  {r['outcome'][:60]}"
            )
    print(f"worst: {1000 * worst_s:.0f} ms (target ≤ 2000), {worst_mb:.0f} MB peak (target ≤ 200)")


if __name__ == "__main__":
    main()
