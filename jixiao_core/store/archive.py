"""A .zip of a folder of reports, unpacked into a folder after checking it is not a bomb and stays inside it.

Checked from the central directory before a byte is inflated (member count, declared sizes, compression ratio,
paths, links, encryption), then again while inflating (a member that inflates past its declared size is a lie).
Names from Chinese Windows come without the UTF-8 flag, in GBK; they are read as such.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from jixiao_core import config
from jixiao_core.errors import InputError

MAX_MEMBERS = 2000  # a district's spring: a few hundred reports
MAX_TOTAL = 1024 * 1024 * 1024  # 1 GB unpacked in all
MAX_RATIO = 100  # inflated / deflated per member; text reports reach ~10, docx and pdf less
RATIO_FLOOR = (
    1024 * 1024
)  # small members may compress far better (a blank template); only ratio-check above 1 MB
CHUNK = 1024 * 1024


def unpack(file_name: str, data: bytes, folder: Path) -> Path:
    """Unpack the archive `data` into `folder` (made here; nothing is made when the archive is refused)."""
    zf = _open(file_name, data)
    members = [i for i in zf.infolist() if not i.is_dir()]
    _check(file_name, members)
    folder.mkdir(parents=True, exist_ok=False)
    for info in members:
        target = folder.joinpath(*_parts(file_name, info))
        target.parent.mkdir(parents=True, exist_ok=True)
        _inflate(file_name, zf, info, target)
    return folder


def _open(file_name: str, data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, NotImplementedError, OSError, ...
        raise InputError(file_name, "压缩包已损坏或不是 .zip 文件") from None


def _check(file_name: str, members: list[zipfile.ZipInfo]) -> None:
    """Refuse the archive before inflating anything: count, sizes, ratio, links, encryption and paths."""
    if len(members) > MAX_MEMBERS:
        raise InputError(file_name, f"压缩包内文件过多（{len(members)} 个），上限为 {MAX_MEMBERS} 个")
    limit = config.load().max_upload_bytes
    total = 0
    for info in members:
        name = _name(info)
        if info.flag_bits & 0x1:
            raise InputError(file_name, f"压缩包已加密（{name}），请提供未加密的压缩包")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InputError(file_name, f"压缩包内含符号链接（{name}），已拒绝")
        if info.file_size > limit:
            raise InputError(
                file_name,
                f"压缩包内的 {name} 过大（{info.file_size / 1048576:.1f} MB），单个文件上限为 {limit // 1048576} MB",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(file_name, f"压缩包内的 {name} 压缩比异常（疑似压缩炸弹），已拒绝")
        total += info.file_size
        _parts(file_name, info)
    if total > MAX_TOTAL:
        raise InputError(
            file_name, f"压缩包解压后过大（{total / 1048576:.0f} MB），上限为 {MAX_TOTAL // 1048576} MB"
        )


def _name(info: zipfile.ZipInfo) -> str:
    """Return the member's name: GBK when the archive did not flag UTF-8 (zip tools on Chinese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _parts(file_name: str, info: zipfile.ZipInfo) -> tuple[str, ...]:
    """Return the member's path parts, refusing absolute paths, drive letters, `..` and control characters."""
    name = _name(info).replace("\\", "/")
    path = PurePosixPath(name)
    parts = tuple(p for p in path.parts if p not in ("", "."))
    unsafe = (
        path.is_absolute()
        or ".." in parts
        or (parts and ":" in parts[0])
        or any(ord(c) < 32 for c in name)
        or not parts
    )
    if unsafe:
        raise InputError(file_name, f"压缩包内的路径不安全（{name!r}），已拒绝")
    return parts


def _inflate(file_name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    written = 0
    try:
        with zf.open(info) as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > info.file_size:
                    raise InputError(
                        file_name, f"压缩包内的 {_name(info)} 实际大小超过声明（疑似压缩炸弹），已拒绝"
                    )
                out.write(chunk)
    except InputError:
        raise
    except Exception:  # BadZipFile (CRC), zlib.error, NotImplementedError (compression method), ...
        raise InputError(file_name, f"压缩包内的 {_name(info)} 已损坏，无法解压") from None
