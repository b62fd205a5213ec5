"""The one error type that bad input becomes: a file name and a Chinese message."""

from __future__ import annotations

import re
import unicodedata

# a password in a database URL (scheme://user:PASSWORD@host, ?password=...) is never shown
_URL_PASSWORD = re.compile(r"(://[^/?#:@]*:)[^?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


class InputError(Exception):
    """Bad input, told to the user as `文件：问题` (CLI exit status 2, st.error on a page)."""

    def __init__(self, file: str | None, message: str):
        super().__init__(f"{file}：{message}" if file else message)
        self.file = file
        self.message = message

    def __str__(self) -> str:
        return printable(f"{self.file}：{self.message}" if self.file else self.message)


def printable(text: str) -> str:
    """Return `text` on one line: control and format characters (a newline or an escape sequence in a file name,
    a sheet title) shown as \\xNN escapes, so one message stays one line and cannot drive a terminal."""
    return "".join(
        c
        if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
        else f"\\x{ord(c):02x}"
        if ord(c) < 256
        else f"\\u{ord(c):04x}"
        for c in text
    )


def mask_password(url: str) -> str:
    """Return a database URL with its password replaced by ***."""
    return _QUERY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", url))


class NumberError(InputError):
    """A number phrase that cannot be read (raised by `numbers`)."""

    def __init__(self, message: str):
        super().__init__(None, message)


class DatabaseUnavailable(InputError):
    """The database URL cannot be opened or written (CLI exit status 2); the URL is shown without its password."""

    def __init__(self, url: str, message: str):
        super().__init__(mask_password(url), message)


class DatabaseBusy(DatabaseUnavailable):
    """Another write held the database for longer than a writer waits its turn (CLI exit status 2)."""
