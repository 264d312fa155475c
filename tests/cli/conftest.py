"""Fixtures of the command-line tests: a small project built once."""

import pytest

from tests.helpers import run


@pytest.fixture
def built(make_project, basic_files):
    """A project built once, so later failures can be checked against its output."""
    project = make_project(basic_files)
    result = run("build", "--project", project.root)
    assert result.returncode == 0, result.stderr
    return project
