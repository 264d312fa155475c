"""Reading YAML safely, with the file position of every key and list item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.resolver import Resolver

from site_builder.errors import ContentError

Key = tuple[Any, ...]

try:
    from yaml._yaml import CParser as _Parser

    def _make_parser(text: str) -> Any:
        return _Parser(text)
except ImportError:  # pragma: no cover - libyaml missing
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    def _make_parser(text: str) -> Any:
        return _Parser(text)


class _Resolver(Resolver):
    """YAML 1.2 scalars: only true/false are booleans, no sexagesimal numbers, dates stay text.

    Resolves by the first character of a plain scalar alone: there are no path resolvers,
    so the parser's calls for every node go straight to the answer.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else \
            self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to track without path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to track without path resolvers."""


_Resolver.yaml_implicit_resolvers = {}
for _first, _resolvers in Resolver.yaml_implicit_resolvers.items():
    _kept = [(tag, rx) for tag, rx in _resolvers
             if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp",
                            "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    if _kept:
        _Resolver.yaml_implicit_resolvers[_first] = _kept
assert not _Resolver.yaml_path_resolvers and None not in Resolver.yaml_implicit_resolvers
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


class _Loader(_Parser, yaml.constructor.SafeConstructor, _Resolver):  # type: ignore[misc,valid-type]
    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)


@dataclass(frozen=True)
class YamlData:
    """A parsed YAML mapping and the (line, column) where each key path starts."""

    path: str
    data: dict[str, Any]
    positions: dict[Key, tuple[int, int]] = field(default_factory=dict)

    def place(self, *keys: Any) -> tuple[int, int]:
        """The position of a key path, or of its nearest ancestor."""
        while keys not in self.positions and keys:
            keys = keys[:-1]
        return self.positions.get(keys, (1, 1))

    def error(self, keys: Key, message: str, hint: str = "", warning: bool = False) -> ContentError:
        """A ContentError placed at the given key path."""
        line, column = self.place(*keys)
        return ContentError(self.path, line, column, message, hint, warning)


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[YamlData | None, list[ContentError]]:
    """Parse `text` as one YAML mapping; lines are counted from `first_line`."""
    def at(mark: Any, message: str, hint: str = "") -> ContentError:
        line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        return ContentError(path, line, column, message, hint)

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlData(path, {}, {(): (first_line, 1)}), []
        positions: dict[Key, tuple[int, int]] = {(): (node.start_mark.line + first_line, 1)}
        problems: list[tuple[Any, str, str]] = []
        try:
            data = _Builder(loader, positions, first_line, problems).value(node, ())
        except _AliasFound as found:
            return None, [at(found.mark, "YAML anchors and aliases (`&name`, `*name`) are not "
                             "allowed here", "write the value out in full")]
        if problems:
            return None, [at(m, msg, hint) for m, msg, hint in problems]
        if not isinstance(node, yaml.MappingNode):
            return None, [at(node.start_mark, "expected `key: value` lines, "
                             f"not {_node_kind(node)}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and _indented_with_tab(text, mark.line):
            return None, [at(mark, "a tab character was found where YAML needs spaces",
                             "indent with spaces, not tabs")]
        return None, [at(mark, _yaml_message(exc), _yaml_hint(exc))]
    except yaml.YAMLError as exc:
        return None, [at(None, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    return YamlData(path, data, positions), []


class _AliasFound(Exception):
    """A node reached a second time: the document uses an alias."""

    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Builder:
    """Makes the Python value of a node tree in one walk, recording the position of every
    key and list item and the problems of the document (duplicate keys, merge keys, keys
    that are not plain words). Plain mappings, lists, text and null are made here; every
    other node (numbers, booleans, tagged values) by the safe loader, which refuses the
    tags it does not know."""

    def __init__(self, loader: Any, positions: dict[Key, tuple[int, int]], first: int,
                 problems: list[tuple[Any, str, str]]) -> None:
        self.loader = loader
        self.positions = positions
        self.first = first
        self.problems = problems
        self.seen: set[int] = set()

    def value(self, node: Any, keys: Key) -> Any:
        if id(node) in self.seen:
            raise _AliasFound(node.start_mark)
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            made: Any = self._mapping(node, keys)
        elif isinstance(node, yaml.SequenceNode):
            made = []
            for index, item in enumerate(node.value):
                self.positions[keys + (index,)] = (item.start_mark.line + self.first,
                                                   item.start_mark.column + 1)
                made.append(self.value(item, keys + (index,)))
        elif node.tag == _STR:
            return node.value
        elif node.tag == _NULL:
            return None
        if node.tag in (_MAP, _SEQ):
            return made
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: Any, keys: Key) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        names: dict[str, int] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((mark, "a key must be a plain word", ""))
                continue
            name = key_node.value
            if name == "<<":
                self.problems.append((mark, "YAML merge keys (`<<`) are not allowed here", ""))
                continue
            if name in names:
                self.problems.append((mark, f"duplicate key `{name}` (first given on line "
                                      f"{names[name]})", "keep one of them"))
                continue
            names[name] = mark.line + self.first
            self.positions[keys + (name,)] = (mark.line + self.first, mark.column + 1)
            key = self.value(key_node, ())
            mapping[key] = self.value(value_node, keys + (name,))
        return mapping


def _indented_with_tab(text: str, line: int) -> bool:
    lines = text.split("\n")
    row = lines[line] if 0 <= line < len(lines) else ""
    return "\t" in row[:len(row) - len(row.lstrip(" \t"))]


def _node_kind(node: Any) -> str:
    return "a list" if isinstance(node, yaml.SequenceNode) else "a single value"


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in problem or "tag" in problem and "python" in problem:
        return f"YAML tags such as `{_tag_of(problem)}` are not allowed"
    return f"invalid YAML: {problem}"


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains `: `"
    if "could not determine a constructor" in problem:
        return "remove the tag, or quote the value"
    return ""


def _tag_of(problem: str) -> str:
    match = re.search(r"tag '?([^'\s]+)'?", problem)
    return match.group(1) if match else "!tag"


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its front matter and its body."""

    meta: YamlData
    body: str
    body_line: int


_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def decode(raw: bytes, path: str) -> tuple[str | None, list[ContentError]]:
    """UTF-8 text with a BOM removed and line endings made `\\n`, or an error at the bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [ContentError(path, line, column,
                                   f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                                   "save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_document(raw: bytes, path: str) -> tuple[Document | None, list[ContentError]]:
    """Split a file into YAML front matter (between `---` lines) and Markdown body."""
    text, errors = decode(raw, path)
    if text is None:
        return None, errors
    lines = text.split("\n")
    if not text.strip():
        return None, [ContentError(path, 1, 1, "the file is empty",
                                   "start it with front matter between two `---` lines")]
    if not _FENCE.match(lines[0]):
        return None, [ContentError(path, 1, 1, "no front matter: the file must start with a line `---`",
                                   "put the fields between two `---` lines at the top")]
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        return None, [ContentError(path, 1, 1, "the front matter is not closed",
                                   "did you forget the `---` line after the last field?")]
    meta, errors = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if meta is None:
        return None, errors
    return Document(meta, "\n".join(lines[end + 1:]), end + 2), []
