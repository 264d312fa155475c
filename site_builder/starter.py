"""The files `briefing init` starts a project with, besides its first brief and company."""

from __future__ import annotations

import json
import sys

SITE_YAML = """\
title: {title}
description: What this briefing covers, in one sentence.
# The address the site is published at; its path ({path}) is the prefix of every link.
# The GitHub Pages workflow builds with the address of the repository's Pages instead.
base_url: https://example.github.io/{slug}/
language: en
author: Briefing desk
"""

REQUIREMENTS = """\
# The generator that builds this site, pinned so that every build makes the same site.
# To upgrade: raise the version, `pip install -r requirements.txt`, build, check, commit.
site_builder=={version}
"""

IGNORED = ("/output/", "/.output.*", "/.cache/", "/.venv/")
IGNORED_HEADER = "# Written by `briefing build` and `briefing serve`, and the Python environment"

TEMPLATES_README = """\
# Templates

The pages of this site come from the default theme installed with site_builder.
To change one, copy it here under the same name and edit the copy: every file
this folder lacks keeps coming from the theme, with its fixes as site_builder
is upgraded. Files under `static/` here are copied to `output/static/`, over
the theme's files of the same name.

The theme's folder, with the Python that has site_builder installed:

    python -c "import site_builder, pathlib; print(pathlib.Path(site_builder.__file__).parent / 'theme')"

For example, to change the footer:

    cp "$(python -c "import site_builder, pathlib; print(pathlib.Path(site_builder.__file__).parent / 'theme')")/_footer.html" templates/
"""

PAGES_WORKFLOW = """\
# Build this briefing and publish it on GitHub Pages.
# Turn it on under Settings -> Pages -> Source: GitHub Actions. The address comes from the
# repository's Pages settings (a custom domain included), not from site.yaml's base_url.
# The generator is installed at the version pinned in requirements.txt.
name: Publish to GitHub Pages

on:
  push:
    branches: [{branch}]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
          cache: pip
          cache-dependency-path: requirements.txt
      - name: Fonts for Chinese, Japanese and Korean link-preview cards
        run: sudo apt-get update -qq && sudo apt-get install -y -qq fonts-noto-cjk
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install the generator
        run: python -m pip install -r requirements.txt
      - name: Restore the last deploy's site and build cache
        # A one-line edit then costs an edit build. The key changes with the generator's
        # version (pinned in requirements.txt); a cache another version or platform left is
        # checked by the build and ignored.
        uses: actions/cache@v4
        with:
          path: |
            .cache/build
            .cache/cards
            output
          key: briefing-${{{{ runner.os }}}}-${{{{ hashFiles('requirements.txt') }}}}-${{{{ github.sha }}}}
          restore-keys: briefing-${{{{ runner.os }}}}-${{{{ hashFiles('requirements.txt') }}}}-
      - name: Build the site
        run: briefing build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Check every link
        run: briefing check
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def site_yaml(title: str, slug: str) -> str:
    """Settings for a site published at a GitHub Pages sub-path named after the folder."""
    return SITE_YAML.format(title=json.dumps(title, ensure_ascii=False), slug=slug,
                            path=f"/{slug}/")


def requirements(version: str) -> str:
    """A requirements file pinning the generator at `version`."""
    return REQUIREMENTS.format(version=version)


def pages_workflow(branch: str) -> str:
    """The Pages workflow: publishes `branch`, on the Python that runs `briefing init`."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return PAGES_WORKFLOW.format(branch=json.dumps(branch), python=python)


def gitignore() -> str:
    """A new project's `.gitignore`: what builds and previews write."""
    return "\n".join((IGNORED_HEADER, *IGNORED)) + "\n"


def _pattern(line: str) -> str:
    """A .gitignore line reduced to the name it is about (`/output/`, `output`, `!output`)."""
    return line.strip().lstrip("!").strip("/")


def completed_gitignore(text: str) -> tuple[str, list[str]]:
    """An existing `.gitignore` with the lines it lacks appended, and those lines."""
    present = {_pattern(line) for line in text.splitlines()}
    missing = [line for line in IGNORED if _pattern(line) not in present]
    if not missing:
        return text, []
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    if text.strip():
        text += newline
    return text + newline.join((IGNORED_HEADER, *missing)) + newline, missing
