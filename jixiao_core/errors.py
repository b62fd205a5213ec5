"""The one error type that bad input becomes: a file name and a Chinese message."""

from __future__ import annotations


class InputError(Exception):
    """Bad input, told to the user as `文件：问题` (CLI exit status 2, st.error on a page)."""

    def __init__(self, file: str | None, message: str):
        super().__init__(f"{file}：{message}" if file else message)
        self.file = file
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}：{self.message}" if self.file else self.message


class NumberError(InputError):
    """A number phrase that cannot be read (raised by `numbers`)."""

    def __init__(self, message: str):
        super().__init__(None, message)


class DatabaseUnavailable(InputError):
    """The database URL cannot be opened or written (CLI exit status 2)."""

    def __init__(self, url: str, message: str):
        super().__init__(url, message)
