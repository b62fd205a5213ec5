"""Zip containers (.xlsx, .docx) checked before any parser opens them: sizes, compression ratios, XML encodings,
DTD and entity declarations, and element counts, in one streamed pass over the bytes; nothing is parsed.

zipfile never inflates a member past its declared size (it stops there and checks the CRC), so the declared sizes
checked first bound everything read afterwards, in 1 MB chunks.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass

from jixiao_core.errors import InputError

MB = 1 << 20
CHUNK = MB
# what a damaged archive raises while it is read (a bad CRC, a broken deflate stream, a truncated member ...)
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    KeyError,
)


@dataclass(frozen=True)
class Limits:
    """What one kind of archive may hold; each bound is named in the message that enforces it."""

    total: int = 100 * MB  # all members, inflated
    ratio: int = 100  # inflated ÷ packed, for a member over 1 MB (real .xlsx and .docx parts pack 5–20×)
    elements: int = 3_000_000  # XML elements in all members (a sheet of 50,000 rows × 20 cells holds ≈ 2 M)
    members: int = 10_000  # parts (a workbook or a report with images has tens to hundreds)


XLSX = Limits()
DOCX = Limits(elements=1_000_000)

# The parts are scanned as ASCII-compatible bytes; XML in UTF-16/32, EBCDIC or UTF-7 would hide its tags.
_OTHER_ENCODINGS = (
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00\x00\xfe\xff",
    b"\x00<",
    b"<\x00",
    b"\x00\x00\x00<",
    b"\x4co\xa7\x94",
)
_DECLARED_ENCODING = re.compile(rb"""\A<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_ASCII_COMPATIBLE = re.compile(
    r"utf-?8|us-ascii|ascii|iso-?8859-\d{1,2}|latin-?1|(?:windows|cp)-?125\d|gb2312|gbk|gb18030",
    re.IGNORECASE,
)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_TAIL = 64  # a tag or marker matched here needs < 40 bytes after its "<"
DIRECTORY_ENTRY = (
    256  # bytes a member's central-directory entry may take on average (46 + its name and extras)
)


def tags_pattern(*local: str) -> re.Pattern[bytes]:
    """Return a byte pattern capturing the local name of start tags `<row ...>`, `<x:row>`, ... under any prefix."""
    names = b"|".join(re.escape(n.encode()) for n in local)
    return re.compile(rb"<(?:[^\s<>/!?:=\"']{1,32}:)?(" + names + rb")[\s/>]")


def scan(
    file_name: str,
    zf: zipfile.ZipFile,
    limits: Limits,
    tags: re.Pattern[bytes] | None = None,
    stop: dict[bytes, int] | None = None,
) -> dict[str, Counter[bytes]]:
    """Return {member: Counter of the start tags `tags` captures} after refusing, with InputError, a zip bomb,
    a DTD or entity declaration in any member, XML in an encoding other than an ASCII-compatible one, or more
    than `limits.elements` elements in all. A member stops being read once a count passes its `stop` (the
    caller refuses it anyway)."""
    infos = zf.infolist()
    check_sizes(file_name, infos, limits)
    counts: dict[str, Counter[bytes]] = {}
    left = limits.elements
    for info in infos:
        counts[info.filename], used = _scan_member(
            file_name, zf, info.filename, (tags, stop or {}), left, limits
        )
        left -= used
    return counts


def check_directory(file_name: str, data: bytes, limits: Limits) -> None:
    """Refuse a zip whose central directory (read from its end record, before zipfile lists a member) is too big
    for `limits.members` parts: listing 200,000 members alone takes a second and 200 MB."""
    size = directory_size(data)
    if size is not None and size > limits.members * DIRECTORY_ENTRY:
        raise InputError(
            file_name,
            f"压缩包内部件过多（目录 {size // 1024} KB），超过 {limits.members} 个部件的上限，拒绝读取",
        )


def directory_size(data: bytes) -> int | None:
    """Return the size of a zip's central directory as its end record (ZIP64 too) declares it; None if absent."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        return None
    size = int.from_bytes(data[at + 12 : at + 16], "little")
    locator = at - 20
    if size == 0xFFFFFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == b"PK\x06\x06":
            size = int.from_bytes(data[record + 40 : record + 48], "little")
    return size


def check_sizes(file_name: str, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse an archive whose declared sizes or compression ratios say zip bomb (no byte is inflated)."""
    if len(infos) > limits.members:
        raise InputError(file_name, f"压缩包内有 {len(infos)} 个部件，超过 {limits.members} 个上限，拒绝读取")
    total = sum(i.file_size for i in infos)
    if total > limits.total:
        raise InputError(
            file_name,
            f"解压后约 {total // MB} MB，超过 {limits.total // MB} MB 上限（可能是压缩炸弹），拒绝读取",
        )
    for info in infos:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > MB and ratio > limits.ratio:
            raise InputError(
                file_name,
                f"部件 {info.filename} 解压后约 {info.file_size // MB} MB，压缩比 {ratio} 倍，"
                f"超过 {limits.ratio} 倍上限（可能是压缩炸弹），拒绝读取",
            )


def _scan_member(file_name: str, zf: zipfile.ZipFile, name: str, counting, left: int, limits: Limits):
    """Return (tags counted, elements seen) in one member, streamed; binary members (images) are not XML."""
    tags, stop = counting
    counts: Counter[bytes] = Counter()
    elements, tail, first = 0, b"", True
    with zf.open(name) as stream:
        while True:
            chunk = stream.read(CHUNK)
            buf = tail + chunk
            if first and not _is_xml(file_name, name, buf):
                return counts, 0
            first = False
            # a tag starting in the last bytes waits for the next chunk, so no tag is split or counted twice
            cut = buf.rfind(b"<", max(len(buf) - _TAIL, 0)) if chunk else -1
            done, tail = (buf, b"") if cut < 0 else (buf[:cut], buf[cut:])
            if b"<!" in done and _DECLARATION.search(done):
                raise InputError(
                    file_name, f"部件 {name} 含有 DTD 或实体声明（可能是 XML 实体炸弹），拒绝读取"
                )
            elements += done.count(b"<") - done.count(b"</") - done.count(b"<!") - done.count(b"<?")
            if elements > left:
                raise InputError(
                    file_name,
                    f"XML 元素超过 {limits.elements:,} 个（在部件 {name} 中），内容过多，拒绝读取",
                )
            if tags is not None:
                counts.update(tags.findall(done))
            if not chunk or any(counts[t] > n for t, n in stop.items()):
                return counts, elements


def _is_xml(file_name: str, part: str, head: bytes) -> bool:
    """Return whether a member starts like XML in an ASCII-compatible encoding; refuse XML in any other."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    declared = _DECLARED_ENCODING.match(head)
    if head.startswith(_OTHER_ENCODINGS) or (
        declared and not _ASCII_COMPATIBLE.fullmatch(declared.group(1).decode())
    ):
        raise InputError(file_name, f"部件 {part} 的 XML 编码不受支持（应为 UTF-8），请在 Office 中重新保存")
    return head.lstrip()[:1] == b"<"
