"""Property tests: any front matter and any Markdown give a build or placed errors, nothing else."""

import os
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_builder.build import BuildOptions, build
from site_builder.load.content import BRIEF_FIELDS, load_brief
from site_builder.errors import BuildFailed
from tests.conftest import SITE_YAML, company

SETTINGS = settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "80")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["2026-01-11", "2026-02-30", "2030", "2026-13", "NO", "on",
                                     "javascript:alert(1)", "../..", "/old/", "zhipu-ai",
                                     "[[Zhipu AI]]", "<script>alert(1)</script>"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
keys = st.one_of(st.sampled_from(BRIEF_FIELDS), st.text(string.ascii_lowercase, min_size=1,
                                                        max_size=8))
likely = st.fixed_dictionaries({"title": st.text(min_size=1, max_size=20),
                                "date": st.sampled_from(["2026-01-11", "2024-02-29", "2026-1-5"])},
                               optional={"companies": st.lists(st.sampled_from(
                                   ["zhipu-ai", "zhipu", "Zhipu AI"]), max_size=3),
                                   "events": st.lists(st.fixed_dictionaries(
                                       {"date": st.sampled_from([2030, "2026-01", "2026-02-30"]),
                                        "title": st.text(max_size=10)}), max_size=3)})
front_matter = st.one_of(
    st.dictionaries(keys, values, max_size=10),
    st.tuples(likely, st.dictionaries(keys, values, max_size=3)).map(lambda t: {**t[1], **t[0]}))
markdown = st.lists(st.one_of(st.sampled_from(["[[", "]]", "|", "Zhipu AI", "智谱", "\n\n", "# ",
                                                "- ", "> ", "`", "*", "[x](", ")", "<b>",
                                                "[^1]", "[^1]: n", "brief:", "\t", "---\n"]),
                               st.text(max_size=5)), max_size=60).map("".join)
raw_front = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t 2016")), max_size=120)


def _document(meta: dict | str, body: str) -> bytes:
    text = meta if isinstance(meta, str) else yaml.safe_dump(meta, allow_unicode=True)
    return f"---\n{text}\n---\n{body}".encode("utf-8", "surrogatepass")


@SETTINGS
@given(meta=st.one_of(front_matter, raw_front), body=markdown)
def test_loading_gives_a_record_or_placed_errors(meta, body):
    errors = []
    record = load_brief(_document(meta, body), "content/briefs/x.md", True, errors)
    assert record is not None or errors
    for error in errors:
        assert error.path == "content/briefs/x.md" and error.line >= 1 and error.column >= 1
        assert error.message


def _tree(root: Path) -> dict[str, bytes]:
    """Every file but the output, the folder it retired and the build cache."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("output", ".output.prev", ".cache")]
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


@SETTINGS
@given(meta=st.one_of(front_matter, raw_front), body=markdown)
def test_building_gives_a_site_or_placed_errors_and_writes_only_output(meta, body,
                                                                        tmp_path_factory):
    root = tmp_path_factory.mktemp("prop")
    project = root / "project"
    files = {"site.yaml": SITE_YAML,
             "content/companies/zhipu-ai.md": company("Zhipu AI", "Zhipu, 智谱"),
             "content/briefs/x.md": _document(meta, body)}
    for relative, text in files.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = _tree(root)
    try:
        result = build(BuildOptions(project=project))
        assert (project / "output" / "index.html").is_file() and result.pages
        event("built")
    except BuildFailed as failed:
        event("refused with errors")
        assert failed.errors
        for error in failed.errors:
            assert error.path and error.line >= 1, error
    assert _tree(root) == before
