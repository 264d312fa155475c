"""Search index: Pagefind run over the built pages that carry `data-pagefind-body`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from site_builder.engine.digest import digest
from site_builder.errors import ContentError

FOLDER = "pagefind"
INDEXED = ("brief.html", "company.html", "event.html", "page.html")


def index_search(run: Any, output: Any, plan: Any) -> list[ContentError]:
    """Index the pages of a new site for search, unless no indexed page changed since the
    last build (then its index is kept)."""
    indexed = sorted((page.output, output.files[page.output][0]) for page in plan.pages
                     if page.template in INDEXED and page.output in output.files)
    key = digest(indexed)
    if key == run.previous("search") and output.keep_tree(FOLDER):
        run.remember(search=key)
        return []
    output.clear_tree(FOLDER)
    problem = index_site(output.staging)
    if problem is not None:
        return [problem]
    output.adopt_tree(FOLDER)
    run.remember(search=key)
    return []


def index_site(folder: Path) -> ContentError | None:
    """Write the search index into `folder/pagefind`; a problem comes back as an error."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir",
               FOLDER, "--silent"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _failed(str(exc))
    if run.returncode != 0:
        said = (run.stderr or run.stdout).strip().splitlines()
        return _failed(said[-1] if said else f"exit status {run.returncode}")
    return None


def _failed(reason: str) -> ContentError:
    return ContentError("search", 1, 1, f"the search index could not be built: {reason}",
                        "install pagefind[extended] (the README's install command does), or "
                        "set `search: false` in site.yaml")
