"""Pure: untrusted text made safe to show — file names, messages, PDF text.

File names are bytes on POSIX; Python hands them over as `str` with the
bytes that are not UTF-8 carried as lone surrogates (PEP 383,
`surrogateescape`), which Parquet, terminals and UTF-8 files all refuse.
Names from archives unpacked on GBK systems are like that. Everything shown
or stored goes through `escape_text`: such bytes become `\\xb0`, control
characters (terminal escape sequences, line breaks) and bidirectional
overrides become `\\x1b` / `\\u202e`, so a name can neither break a line
nor restyle a terminal nor hide its own ending.
"""

from __future__ import annotations

import os
import unicodedata

# Characters that reorder or hide what follows them (Trojan-source style names).
_INVISIBLE = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|#"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def _escape_char(ch: str) -> str:
    cp = ord(ch)
    if 0xDC80 <= cp <= 0xDCFF:  # an undecodable byte of a file name
        return f"\\x{cp - 0xDC00:02x}"
    if 0xD800 <= cp <= 0xDFFF or cp in _INVISIBLE:
        return f"\\u{cp:04x}"
    if unicodedata.category(ch) == "Cc":
        return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"
    return ch


def escape_text(text: str) -> str:
    """`text` with undecodable bytes, control and bidi characters written as escapes."""
    if text.isprintable() and not any(ord(c) in _INVISIBLE for c in text):
        return text
    return "".join(_escape_char(c) for c in text)


def display_path(path: str | bytes) -> str:
    """A path (bytes, or str with surrogate-escaped bytes) as printable UTF-8 text."""
    return escape_text(os.fsdecode(path))


def escape_markdown(text: str) -> str:
    """`escape_text`, and Markdown/HTML markup neutralised (report.md is rendered by viewers)."""
    return escape_text(text).translate(_MARKDOWN)

