"""Build the same generated briefing with site_builder, Hugo and Pelican, side by side.

For each size it reports, per generator, the median wall time and CPU time of a cold build
and of the build that follows it after editing one brief (with whatever cache the cold build
left), the ratios to site_builder, and the peak memory of a cold build (the sum of the
proportional set size of the generator's process tree), measured in a run of its own: reading
a process tree's memory every 10 ms slows what it measures.

With `--defaults`, site_builder builds with its default settings (search and cards on), beside
Hugo followed by Pagefind over Hugo's output (how Hugo sites add search), and the size of each
site is reported too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import to_hugo, to_pelican  # noqa: E402
from generate import generate  # noqa: E402


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path, memory: bool = False) -> Run:
    """Run a command after writing out what earlier ones left in memory; with `memory`, sample
    the memory of its process tree every 10 ms."""
    os.sync()
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in _tree(process.pid)))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    if memory:
        sampler.start()
    process.wait()
    wall = time.perf_counter() - started
    if memory:
        sampler.join()
    after = os.times()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}")
    cpu = (after.children_user - before.children_user) + (after.children_system -
                                                          before.children_system)
    return Run(wall, cpu, peak[0] / 1024)


def _edit(path: Path, number: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n\n", f"\n\nAn edited sentence, number {number}.\n\n", 1),
                    encoding="utf-8")


class Generator:
    """How to build one generator's copy of the project, cold and after an edit."""

    def __init__(self, name: str, folder: Path, command: list[str], clean: list[str],
                 edit: Path) -> None:
        self.name, self.folder, self.command, self.clean, self.edit = \
            name, folder, command, clean, edit

    def size_mb(self) -> float:
        """The size of the site it built (the first folder it cleans), in MiB of contents."""
        site = self.folder / self.clean[0]
        return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1024 / 1024

    def cold(self, memory: bool = False) -> Run:
        for name in self.clean:
            shutil.rmtree(self.folder / name, ignore_errors=True)
        return measure(self.command, self.folder, memory)

    def warm(self, number: int) -> Run:
        _edit(self.edit, number)
        return measure(self.command, self.folder)


def generators(work: Path, count: int, tools: Path, baseline: Path | None,
               defaults: bool = False) -> list[Generator]:
    project = work / f"briefing-{count}{'-defaults' if defaults else ''}"
    generate(project, count, 200, extras=defaults)
    to_hugo(project, work / f"hugo-{count}")
    to_pelican(project, work / f"pelican-{count}")
    brief = sorted((project / "content" / "briefs").rglob("*.md"))[count // 2]
    before = []
    if baseline is not None:  # the same project built by another version, in a copy of it
        copy = work / f"{project.name}-before"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(project, copy)
        before = [Generator("site_builder (before)", copy,
                            [str(baseline), "-m", "site_builder", "build", "-q"],
                            ["output", ".output.prev", ".cache"],
                            copy / brief.relative_to(project))]
    hugo = work / f"hugo-{count}"
    hugo_edit = hugo / "content" / "briefs" / brief.name
    then_pagefind = (f"{_hugo_binary(tools)} --quiet -d public && "
                     f"{tools / 'python'} -m pagefind --site public --silent")
    others = [Generator("Hugo + Pagefind", hugo, ["sh", "-c", then_pagefind], ["public"],
                        hugo_edit)] if defaults else [
        Generator("Hugo", hugo, [_hugo_binary(tools), "--quiet", "-d", "public"], ["public"],
                  hugo_edit),
        Generator("Pelican", work / f"pelican-{count}",
                  [str(tools / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py",
                   "-q"], ["output", "cache"], work / f"pelican-{count}" / "content" / brief.name)]
    return [
        Generator("site_builder", project, [sys.executable, "-m", "site_builder", "build", "-q"],
                  ["output", ".output.prev", ".cache"], brief),
        *before, *others,
    ]


def _hugo_binary(tools: Path) -> str:
    """The Hugo binary the `hugo` package ships (not its Python launcher)."""
    found = sorted(tools.parent.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return str(found[0]) if found else str(tools / "hugo")


def _median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", type=Path, required=True,
                        help="the bin folder holding the hugo and pelican commands")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-compare"))
    parser.add_argument("--baseline", type=Path, metavar="PYTHON",
                        help="also build with the site_builder of another interpreter (an "
                        "earlier version), in turn with this one")
    parser.add_argument("--defaults", action="store_true",
                        help="site_builder with search and cards, beside Hugo then Pagefind")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="build with these generators only (site_builder, Hugo, Pelican)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.runs} runs each, medians")
    print("| briefs | generator | cold build | CPU | peak memory | after editing one brief "
          "| CPU | ratio cold to site_builder | ratio edit to site_builder | site |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for count in args.briefs:
        tools = [tool for tool in generators(args.work, count, args.tools.resolve(), args.baseline,
                                             args.defaults)
                 if not args.only or tool.name.split(" ")[0] in args.only]
        results: dict[str, tuple[list[Run], list[Run]]] = {t.name: ([], []) for t in tools}
        for number in range(args.runs):  # in turn, so that drift hits every tool alike
            turn = tools[number % len(tools):] + tools[:number % len(tools)]
            for tool in turn:  # each edit is the build right after a cold one, with nothing
                results[tool.name][0].append(tool.cold())  # between them that could push
                results[tool.name][1].append(tool.warm(number))  # its files out of memory
        peaks = {tool.name: tool.cold(memory=True).peak_mb for tool in tools}
        sizes = {tool.name: tool.size_mb() for tool in tools}
        ours_cold = _median(results["site_builder"][0], "wall")
        ours_warm = _median(results["site_builder"][1], "wall")
        for name, (cold, warm) in results.items():
            print(f"| {count:,} | {name} | {_median(cold, 'wall'):.2f} s | "
                  f"{_median(cold, 'cpu'):.1f} s | {peaks[name]:.0f} MB | "
                  f"{_median(warm, 'wall'):.2f} s | {_median(warm, 'cpu'):.1f} s | "
                  f"{_median(cold, 'wall') / ours_cold:.2f} | "
                  f"{_median(warm, 'wall') / ours_warm:.2f} | {sizes[name]:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
