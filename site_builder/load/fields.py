"""Typed reading of front-matter fields, collecting errors at each field's line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from site_builder.model.dates import DateError, PartialDate, parse_date, type_name
from site_builder.errors import ContentError, did_you_mean
from site_builder.load.frontmatter import Key, YamlData

_MISSING = object()


class FieldReader:
    """Reads fields of one YAML mapping by key path; problems go to `errors`."""

    def __init__(self, meta: YamlData, errors: list[ContentError], strict: bool = True) -> None:
        self.meta = meta
        self.errors = errors
        self.strict = strict

    def fail(self, keys: Key, message: str, hint: str = "") -> None:
        """Record an error at a key path."""
        self.errors.append(self.meta.error(keys, message, hint))

    def raw(self, keys: Key) -> Any:
        """The value at a key path, or `_MISSING`."""
        value: Any = self.meta.data
        for key in keys:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            else:
                return _MISSING
        return value

    def has(self, keys: Key) -> bool:
        """Whether a key path is present and not empty."""
        return self.raw(keys) not in (_MISSING, None)

    def _required(self, keys: Key, what: str) -> None:
        parent = keys[:-1]
        where = f" in {_describe(parent)}" if parent else ""
        self.fail(parent, f"`{keys[-1]}` is required{where}", f"add `{keys[-1]}: {what}`")

    def text(self, keys: Key, required: bool = False, default: str = "",
             empty: str = "") -> str:
        """A piece of text; numbers are taken as written. Required text that is only spaces
        is an error, with `empty` as its hint."""
        value = self.raw(keys)
        if value in (_MISSING, None, ""):
            if required:
                self._required(keys, "...")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(keys, f"`{_describe(keys)}` must be text, not {type_name(value)}",
                      'put quotes around the value' if isinstance(value, bool) else "")
            return default
        if required and not value.strip():
            self.fail(keys, f"`{_describe(keys)}` is empty",
                      empty or f"write the {keys[-1]} after `{keys[-1]}:`")
        return value.strip()

    def text_list(self, keys: Key) -> tuple[str, ...]:
        """A list of texts; a single text counts as a list of one."""
        value = self.raw(keys)
        if value in (_MISSING, None):
            return ()
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (str(value).strip(),)
        if not isinstance(value, list):
            self.fail(keys, f"`{_describe(keys)}` must be a list, not {type_name(value)}",
                      f"write `{keys[-1]}: [first, second]`")
            return ()
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                items.append(str(item).strip())
            else:
                self.fail(keys + (index,), f"each item of `{_describe(keys)}` must be text, "
                          f"not {type_name(item)}")
        return tuple(items)

    def date(self, keys: Key, required: bool = False, day: bool = False) -> PartialDate | None:
        """A date of year, month or day precision (`day=True` demands a day)."""
        value = self.raw(keys)
        if value in (_MISSING, None, ""):
            if required:
                self._required(keys, "YYYY-MM-DD" if day else "YYYY-MM")
            return None
        try:
            return parse_date(value, day_required=day)
        except DateError as exc:
            self.fail(keys, f"`{_describe(keys)}`: {exc}")
            return None

    def boolean(self, keys: Key, default: bool = False) -> bool:
        """`true` or `false`, unquoted."""
        value = self.raw(keys)
        if value in (_MISSING, None):
            return default
        if isinstance(value, bool):
            return value
        hint = f"write `{keys[-1]}: {str(value).strip().lower()}` without quotes" \
            if str(value).strip().lower() in ("true", "false") else "write true or false"
        self.fail(keys, f"`{_describe(keys)}` must be true or false, not {type_name(value)} "
                  f"`{value}`", hint)
        return default

    def count(self, keys: Key, default: int, most: int) -> int:
        """A whole number from 1 to `most`, unquoted."""
        value = self.raw(keys)
        if value in (_MISSING, None):
            return default
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= most:
            return value
        shown = f"`{value}`" if isinstance(value, (int, float)) else f"{type_name(value)} `{value}`"
        self.fail(keys, f"`{_describe(keys)}` must be a whole number from 1 to {most}, not "
                  f"{shown}", f"for example `{keys[-1]}: {default}`")
        return default

    def url(self, keys: Key) -> str:
        """An absolute http(s) URL."""
        value = self.text(keys)
        if value and not is_web_url(value):
            self.fail(keys, f"`{_describe(keys)}` must be an http:// or https:// address, not `{value}`")
            return ""
        return value

    def mappings(self, keys: Key) -> list[int]:
        """Indexes of the items of a list of mappings; other items are errors."""
        value = self.raw(keys)
        if value in (_MISSING, None):
            return []
        if not isinstance(value, list):
            self.fail(keys, f"`{_describe(keys)}` must be a list of entries, not {type_name(value)}",
                      f"start each entry of `{keys[-1]}` on its own line with `- `")
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                good.append(index)
            else:
                self.fail(keys + (index,), f"each entry of `{_describe(keys)}` must be a mapping "
                          f"of `key: value` lines, not {type_name(item)}")
        return good

    def mapping(self, keys: Key) -> bool:
        """Whether a key path holds a mapping (an error if present and not one)."""
        value = self.raw(keys)
        if value in (_MISSING, None):
            return False
        if not isinstance(value, dict):
            self.fail(keys, f"`{_describe(keys)}` must be a mapping, not {type_name(value)}",
                      f"write `{keys[-1]}: {{key: value}}`")
            return False
        return True

    def unknown_keys(self, keys: Key, known: Iterable[str]) -> None:
        """Report keys of the mapping at `keys` that are not in `known`."""
        value = self.raw(keys)
        known = tuple(known)
        for key in value if isinstance(value, dict) else ():
            if key not in known:
                where = f" in {_describe(keys)}" if keys else ""
                self.errors.append(self.meta.error(
                    keys + (key,), f"unknown field `{key}`{where}",
                    did_you_mean(str(key), known) or "known fields: " + ", ".join(known),
                    warning=not self.strict))


def is_web_url(value: str) -> bool:
    """Whether a text is an absolute http or https URL with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def _describe(keys: Key) -> str:
    text = ""
    for key in keys:
        text += f"[{key + 1}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
