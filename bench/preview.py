"""Preview latency: from saving a brief to the page on disk, and to the browser's reload."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _cold_build(project: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "site_builder", "build", "--project", str(project),
                        "--output", f"{out}/site", "--quiet"], check=True, capture_output=True)
        return time.perf_counter() - start


def _start_preview(project: Path, port: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--project",
                                str(project), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while True:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("the preview did not start")
        match = re.search(r"serving .* at (http://\S+)", line)
        if match:
            return process, match.group(1)


def _wait_on_disk(path: Path, marker: bytes, timeout: float = 30.0) -> float:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if marker in path.read_bytes():
                return time.time()
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    raise SystemExit(f"{path} never showed the edit")


def measure(project: Path, edits: int, port: int) -> dict[str, list[float]]:
    """Edit `edits` briefs one at a time while each is open in the browser."""
    briefs = sorted((project / "content" / "briefs").rglob("*.md"))
    process, url = _start_preview(project, port)
    disk, browser_times = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page()
            for number in range(edits):
                source = briefs[(number * 7919) % len(briefs)]
                slug = source.stem
                page.goto(f"{url}briefs/{slug}/")
                page.wait_for_function("window.briefingPreview && briefingPreview.connected")
                time.sleep(0.3)
                marker = f"Benchmark edit {number} {os.getpid()}."
                text = source.read_text()
                built = project / ".cache" / "preview" / "site" / "briefs" / slug / "index.html"
                with page.expect_event("domcontentloaded", timeout=30_000):
                    saved = time.time()
                    source.write_text(text.replace("\n\n", f"\n\n{marker}\n\n", 1))
                    disk.append(_wait_on_disk(built, marker.encode()) - saved)
                ready = page.evaluate("performance.timeOrigin + performance.getEntriesByType("
                                      "'navigation')[0].domContentLoadedEventEnd") / 1000
                assert marker in page.content()
                browser_times.append(ready - saved)
            browser.close()
    finally:
        process.terminate()
        process.wait()
    return {"disk": disk, "browser": browser_times}


def _ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "briefing-bench")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    print("| briefs | cold full build | save → page on disk p50 (p90) | "
          "save → browser reloaded p50 (p90) |")
    print("| --- | --- | --- | --- |")
    for count in args.briefs:
        project = args.work / f"preview-{count}"
        generate(project, count, 200)
        cold = _cold_build(project)
        times = measure(project, args.edits, args.port)
        print(f"| {count:,} | {cold:.1f} s | {statistics.median(times['disk']) * 1000:.0f} ms "
              f"({_ms(times['disk'], 0.9)} ms) | {statistics.median(times['browser']) * 1000:.0f} ms "
              f"({_ms(times['browser'], 0.9)} ms) |", flush=True)


if __name__ == "__main__":
    main()
