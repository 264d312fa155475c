"""Command line: `briefing build | new | init`, errors turned into messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import Any
from pathlib import Path

from site_builder import __version__
from site_builder.build import Builder, BuildOptions, BuildResult
from site_builder.check import check_site, site_base_url
from site_builder.load.settings import load_config, normalise_base_url
from site_builder.counts import counted
from site_builder.errors import BuildFailed, ContentError
from site_builder.scaffold import ScaffoldError, init_project, new_brief, new_company

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Build a cross-linked briefing site from Markdown briefs "
        "and company profiles.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_build, _add_serve, _add_check, _add_new, _add_init):
        add(commands)
    return parser


def _add_build(commands: Any) -> None:
    command = commands.add_parser("build", help="build the site into output/",
                                  description="Build a project's site into its output folder. "
                                  "The previous output stays as it was if the build fails.")
    _project_option(command)
    command.add_argument("--output", type=Path, metavar="DIR",
                         help="write the site here instead of PROJECT/output")
    command.add_argument("--base-url", metavar="URL",
                         help="publish under this address instead of site.yaml's base_url "
                         "(e.g. https://user.github.io/repo/)")
    command.add_argument("--drafts", action="store_true",
                         help="include briefs and pages marked `draft: true` (never published "
                         "without it)")
    command.add_argument("--quiet", "-q", action="store_true",
                         help="print only errors and the summary line")
    command.add_argument("--jobs", "-j", type=_positive, default=0, metavar="N",
                         help="number of processes (default: the number of cores); "
                         "--jobs 1 gives exactly the same site")


def _add_serve(commands: Any) -> None:
    command = commands.add_parser(
        "serve", help="preview the site with live reload",
        description="Build the site, serve it under the same path prefix as base_url, and "
        "rebuild and reload open pages on every change. Errors show in the browser over the "
        "last good build. The preview is written to PROJECT/.cache/preview, never to output/.")
    _project_option(command)
    command.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default 127.0.0.1: this machine only)")
    command.add_argument("--port", type=int, default=8000,
                         help="port to listen on; the next free one is used if it is taken "
                         "(default 8000)")
    command.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                         help="show briefs and pages marked `draft: true`, marked as drafts "
                         "(the default; --no-drafts previews the site as `build` publishes it)")
    command.add_argument("--open", action="store_true", dest="open_browser",
                         help="open the preview in a web browser")


def _add_check(commands: Any) -> None:
    command = commands.add_parser(
        "check", help="check every link of a built site",
        description="Check a built site the way a visitor meets it: every href and src on "
        "every page, every #anchor, every URL in the feeds and the sitemap must resolve to a "
        "file of the output under the site's path prefix. Prints `page: href: problem` for "
        "each failure and exits 1 if there is any.")
    _project_option(command)
    command.add_argument("--output", type=Path, metavar="DIR",
                         help="the built site to check (default: PROJECT/output)")
    command.add_argument("--base-url", metavar="URL",
                         help="the address the site was built for (default: read from the "
                         "home page's canonical link, else site.yaml)")


def _add_new(commands: Any) -> None:
    command = commands.add_parser("new", help="write a new brief or company file",
                                  description="Write a new content file with complete front "
                                  "matter. An existing file is never overwritten.")
    command.add_argument("kind", choices=["brief", "company"], help="what to create")
    command.add_argument("title", help="the brief's title or the company's name")
    command.add_argument("--slug", help="file name (without .md); default: made from the title")
    _project_option(command)


def _add_init(commands: Any) -> None:
    command = commands.add_parser(
        "init", help="create a new project and build it",
        description="Create a project in a new folder, an empty one or a freshly cloned "
        "repository: site.yaml, an example brief and company, templates/ for the theme files "
        "you override, requirements.txt pinning this version of site_builder, a GitHub Pages "
        "workflow and a .gitignore; then build it. If a file it would write is already there, "
        "nothing is written; an existing .gitignore is kept and completed.")
    command.add_argument("directory", type=Path,
                         help="the project folder; created if missing, and it may already hold "
                         "other files, such as a repository's .git, README or licence")


def _positive(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


def _project_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--project", type=Path, default=None, metavar="DIR",
                         help="the project folder (holding site.yaml); default: the current "
                         "folder, or the folder of the installed repository")


def find_project(given: Path | None) -> Path:
    """The project folder: `--project`, else the nearest folder holding site.yaml."""
    if given is not None:
        return given
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "site.yaml").is_file():
            return folder
    return here


def run() -> None:
    """The `briefing` command: run, then leave without tearing down every object one by one
    (what a build made is kept to the very end, then the process exits at once)."""
    kept: list[object] = []
    code = main(kept=kept)
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main(argv: Sequence[str] | None = None, kept: list[object] | None = None) -> int:
    """Run the command line; return the exit code. What a build made goes into `kept`."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args, [] if kept is None else kept)
        if args.command == "serve":
            return _serve(args)
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            return _new(args)
        return _init(args)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


def _build(args: argparse.Namespace, kept: list[object]) -> int:
    project = find_project(args.project)
    options = BuildOptions(project=project, output=args.output, base_url=args.base_url,
                           drafts=args.drafts, jobs=args.jobs)

    progress = Progress()

    def report(stage: str, seconds: float) -> None:
        progress.clear()
        if not args.quiet:
            print(f"  {stage:<10} {seconds * 1000:8.1f} ms", flush=True)

    builder = Builder(options, progress=progress if progress.enabled else None)
    kept.append(builder)
    try:
        result = builder.build(report)
    except BuildFailed as failed:
        print_errors(failed.errors, project)
        fatal = sum(1 for e in failed.errors if not e.warning)
        print(f"build failed: {counted(fatal, 'error')}; "
              "the previous output was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    print_errors(result.warnings, project)
    print(_summary(result, options.output or project / "output"))
    if result.drafts_left_out:
        them = "it" if result.drafts_left_out == 1 else "them"
        print(f"{counted(result.drafts_left_out, 'draft')} left out; build with --drafts to see "
              f"{them}, or preview {them} with `briefing serve`")
    return EXIT_OK


class Progress:
    """A line on the terminal that counts what a long build has done; silent in logs and CI."""

    DELAY = 2.0

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, what: str, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.DELAY:
            return
        sys.stderr.write(f"\r\033[K  {what}: {done:,} of {total:,}")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False


def _summary(result: BuildResult, output: Path) -> str:
    counts = ", ".join(counted(n, word) for n, word in (
        (result.briefs, "brief"), (result.companies, "company"), (result.events, "event")))
    return (f"built {counted(result.pages, 'page')} ({counted(result.files, 'file')}) from "
            f"{counts} in {result.seconds:.2f} s into {_shown(output)}")


def print_errors(errors: Sequence[ContentError], project: Path) -> None:
    """Print errors as `path:line:column: message`, paths as the user can open them."""
    for error in errors:
        path = error.path
        if not path.startswith(("-", "/")) and (project / path).exists():
            path = _shown(project / path)
        shown = ContentError(path, error.line, error.column, error.message, error.hint,
                             error.warning)
        print(shown.format(), file=sys.stderr)


def _shown(path: Path) -> str:
    """A path relative to the current folder when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("../..") else str(path)


def _serve(args: argparse.Namespace) -> int:
    from site_builder.preview.server import Preview, PreviewOptions, run_preview

    project = find_project(args.project)
    try:
        preview = Preview(PreviewOptions(project=project, host=args.host, port=args.port,
                                         drafts=args.drafts, open_browser=args.open_browser))
    except BuildFailed as failed:
        print_errors(failed.errors, project)
        return EXIT_CONTENT
    return run_preview(preview)


def _check(args: argparse.Namespace) -> int:
    project = find_project(args.project)
    output = args.output or project / "output"
    if not (output / "index.html").is_file():
        print(f"error: {_shown(output)} holds no built site; run `briefing build` first",
              file=sys.stderr)
        return EXIT_CONTENT
    base_url = args.base_url or site_base_url(output)
    if base_url is None:
        try:
            base_url = load_config(project).base_url
        except BuildFailed as failed:
            print_errors(failed.errors, project)
            return EXIT_CONTENT
    report = check_site(output, normalise_base_url(base_url))
    for problem in report.problems:
        print(problem.format())
    print(f"checked {counted(report.pages, 'page')} and {counted(report.links, 'link')} under "
          f"{base_url}: {counted(len(report.problems), 'problem')}")
    return EXIT_CONTENT if report.problems else EXIT_OK


def _new(args: argparse.Namespace) -> int:
    project = find_project(args.project)
    if not (project / "site.yaml").is_file():
        where = (f"{_shown(project)} holds no site.yaml" if args.project else
                 f"no site.yaml in {project} or a folder above it")
        raise ScaffoldError(f"not in a project: {where}; run `briefing new` inside a project, "
                            "pass --project DIR, or create one with `briefing init DIR`")
    maker = new_brief if args.kind == "brief" else new_company
    path = maker(project, args.title, args.slug)
    print(f"wrote {_shown(path)}")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    directory = args.directory
    result = init_project(directory, __version__)
    shown = _shown(directory)
    print(f"created a project in {shown}: {', '.join(result.written)}")
    if result.gitignore_added:
        print(f"added {', '.join(result.gitignore_added)} to the existing "
              f"{_shown(directory / '.gitignore')}")
    elif result.gitignore_added is not None:
        print(f"kept {_shown(directory / '.gitignore')}: it already ignores what builds write")
    code = _build(_parser().parse_args(["build", f"--project={directory}", "--quiet"]), [])
    if code != EXIT_OK:
        return code
    print(f"preview:  briefing serve --project {shown}\n"
          f"write:    briefing new brief \"Title\" --project {shown}\n"
          "publish:  on GitHub, Settings -> Pages -> Source: GitHub Actions; then push")
    return EXIT_OK
