"""The site people publish, measured: a generated project built with default settings (cards and
search on), and what it weighs: the whole site, its files, its largest pages, cards, search."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

LARGE = 300 * 1024  # an HTML page over this is too heavy for a phone on a slow link
MB = 1024 * 1024


def measure(output: Path) -> dict[str, object]:
    """Sizes of a built site: everything, HTML pages, cards and the search index."""
    files = [p for p in output.rglob("*") if p.is_file()]
    sizes = {p: p.stat().st_size for p in files}
    pages = {p: size for p, size in sizes.items() if p.suffix == ".html"}
    largest = max(pages, key=pages.__getitem__)

    def part(folder: str) -> int:
        return sum(size for path, size in sizes.items() if path.is_relative_to(output / folder))
    return {"site MB": sum(sizes.values()) / MB, "files": len(files),
            "HTML pages": len(pages), f"pages over {LARGE // 1024} KB": sum(
                size > LARGE for size in pages.values()),
            "largest page": f"{largest.relative_to(output).as_posix()} "
                            f"({pages[largest] / 1024:.0f} KB)",
            "cards MB": part("cards") / MB, "search MB": part("pagefind") / MB,
            "sitemap KB": sizes.get(output / "sitemap.xml", 0) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-sizes"))
    args = parser.parse_args()
    rows = []
    for briefs in args.briefs:
        project = args.work / f"briefing-{briefs}"
        generate(project, briefs, max(20, briefs // 50), extras=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "site_builder", "build", "-q", "--project",
                        str(project)], check=True, stdout=subprocess.DEVNULL)
        rows.append((briefs, time.perf_counter() - started, measure(project / "output")))
    keys = list(rows[0][2])
    print(f"{time.strftime('%Y-%m-%d')}, default settings (cards and search on)")
    print("| briefs | cold build | " + " | ".join(keys) + " |")
    print("| --- " * (len(keys) + 2) + "|")
    for briefs, seconds, found in rows:
        cells = [f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int)
                 else str(v) for v in found.values()]
        print(f"| {briefs:,} | {seconds:.1f} s | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
