"""YAML is read safely, with the line of every key, and front matter is split from the body."""

import pytest
import yaml

from site_builder.load.frontmatter import parse_yaml, read_document


def test_positions_point_at_keys_and_list_items():
    data, errors = parse_yaml("title: x\ncompanies:\n  - a\n  - b\n", "f.md", first_line=2)
    assert errors == []
    assert data.place("title") == (2, 1)
    assert data.place("companies", 1) == (5, 5)
    assert data.place("missing") == data.place()


@pytest.mark.parametrize("text, value", [
    ("country: NO", "NO"), ("a: on", "on"), ("a: off", "off"), ("a: yes", "yes"),
    ("a: 1:20", "1:20"), ("a: 2026-01-11", "2026-01-11"), ("a: true", True), ("a: 017", "017"),
])
def test_yaml_1_1_surprises_are_read_as_written(text, value):
    data, errors = parse_yaml(text, "f.md")
    assert errors == []
    assert list(data.data.values()) == [value]


@pytest.mark.parametrize("text", [
    "a: 1\nb: -2_000\nc: 1.5\nd: .inf\ne: true\nf: FALSE\ng: ~\nh: null\ni:\nj: ''\n",
    "a: !!str 12\nb: !!int '7'\nc: !!float 3\nd: !!bool yes\ne: !!binary aGk=\n",
    "s: !!set {x, y}\no: !!omap [{a: 1}, {b: 2}]\np: !!pairs [{a: 1}]\n",
    "1: one\ntrue: True\nnull: none\nnested: {list: [1, [2, {deep: x}]], empty: {}}\n",
    "events:\n  - {date: 2026-01, title: 'Q: 1', companies: [a, b]}\n  - date: 2026\n",
])
def test_values_outside_yaml_1_1_surprises_are_those_of_the_safe_loader(text):
    data, errors = parse_yaml(text, "f.md")
    assert errors == []
    expected = yaml.safe_load(text)
    assert data.data == expected
    assert [type(v) for v in data.data.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: 2\na: 3\n", 3, "duplicate key `a` (first given on line 1)"),
    ("a: !!python/object/apply:os.system ['echo hacked']\n", 1, "YAML tags such as"),
    ("a:\n\t- b\n", 2, "tab character"),
    ("a: b: c\n", 1, "mapping values are not allowed"),
    ("- a\n- b\n", 1, "expected `key: value` lines, not a list"),
    ("a: &x [1]\nb: *x\n", 1, "anchors and aliases"),
    ("a: [1, 2\n", 2, "invalid YAML"),
])
def test_bad_yaml_is_an_error_at_its_line(text, line, words):
    data, errors = parse_yaml(text, "f.md")
    assert data is None
    assert len(errors) == 1
    assert errors[0].line == line
    assert words in errors[0].message + errors[0].hint


def test_tags_are_never_executed(tmp_path):
    marker = tmp_path / "hacked"
    parse_yaml(f"a: !!python/object/apply:os.system ['touch {marker}']\n", "f.md")
    assert not marker.exists()


def test_front_matter_split_keeps_body_lines():
    document, errors = read_document(b"---\ntitle: x\n---\n\nBody line\n", "b.md")
    assert errors == []
    assert document.meta.data == {"title": "x"}
    assert document.body_line == 4
    assert document.body.splitlines()[1] == "Body line"


def test_bom_and_crlf_are_accepted_with_lines_intact():
    raw = "\ufeff---\r\ntitle: x\r\ndate: 2026-01-11\r\n---\r\nBody\r\n".encode()
    document, errors = read_document(raw, "b.md")
    assert errors == []
    assert document.meta.place("date") == (3, 1)
    assert document.body.strip() == "Body"


@pytest.mark.parametrize("raw, words", [
    (b"", "the file is empty"),
    (b"title: x\n", "no front matter"),
    (b"---\ntitle: x\nbody\n", "did you forget the `---` line"),
    (b"---\ntitle: caf\xe9\n---\n", "not UTF-8: byte 0xe9 at offset 14"),
])
def test_files_without_usable_front_matter_are_errors(raw, words):
    document, errors = read_document(raw, "b.md")
    assert document is None
    assert words in errors[0].format()
