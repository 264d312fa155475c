"""Write stage: the site's files put in place, in a new folder swapped in whole (`staged`) or in
the preview's folder updated file by file (`live`)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from site_builder.errors import BuildFailed, ContentError
from site_builder.model.settings import SiteConfig
from site_builder.output.files import MARKER, FileState, OutputError, check_output_folder
from site_builder.output.live import LiveOutput
from site_builder.output.staged import OutputMemo, StagedOutput, intact_output
from site_builder.render import Theme
from site_builder.search import FOLDER as SEARCH_FOLDER


def open_output(run: Any, project: Path, folder: Path, live: bool) -> StagedOutput | LiveOutput:
    """The writer of a build's files, knowing what the last build left in `folder`."""
    if live:
        return LiveOutput(folder, run.previous("live", {}), (SEARCH_FOLDER,))
    try:
        check_output_folder(folder, project)
    except OutputError as exc:
        raise BuildFailed([ContentError(str(folder), 1, 1, str(exc))]) from None
    current = run.previous("output_files", {})
    memo = OutputMemo(run.previous("output_folder", ""), current,
                      _applied(run.previous("output_retired", {}), current))
    checked = run.aside(partial(intact_output, folder, current)) \
        if current and memo.folder == str(folder.resolve()) else None
    return StagedOutput(folder, memo, checked)


def output_tables(output: StagedOutput | LiveOutput) -> dict[str, Any]:
    """What the next build needs to know of the files a build left, by name."""
    if isinstance(output, LiveOutput):
        return {"live": output.manifest}
    memo = output.memo
    return {"output_folder": memo.folder, "output_files": memo.current,
            "output_retired": _changes(memo.retired, memo.current)}


def _changes(retired: dict[str, FileState], current: dict[str, FileState]) -> dict[str, Any]:
    """How the retired folder differs from the output, file by file (None: it lacks the file):
    little, since it holds the output of the build before."""
    changes: dict[str, Any] = {relative: state for relative, state in retired.items()
                               if current.get(relative) != state}
    changes.update(dict.fromkeys(current.keys() - retired.keys()))
    return changes


def _applied(changes: dict[str, Any], current: dict[str, FileState]) -> dict[str, FileState]:
    """The retired folder's files, from the output's and the changes."""
    retired = dict(current)
    for relative, state in changes.items():
        if state is None:
            retired.pop(relative, None)
        else:
            retired[relative] = state
    return retired


def copy_assets(project: Path, theme: Theme, output: StagedOutput | LiveOutput,
                config: SiteConfig) -> None:
    """Static files of the theme and the project, media, `.nojekyll` and `CNAME`."""
    for folder in theme.static:
        output.copy_tree(folder, "static")
    if (project / "content" / "media").is_dir():
        output.copy_tree(project / "content" / "media", "media")
    output.write(MARKER, b"")
    if config.cname:
        output.write("CNAME", config.cname.encode() + b"\n")
