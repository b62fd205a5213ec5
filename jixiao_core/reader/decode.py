"""Bytes → text: .txt (UTF-8, BOM, GB18030, UTF-16 with BOM), .docx, and .pdf (its text layer; scanned pages by OCR).

The format is sniffed from magic bytes, never from the file name. Every failure becomes
`InputError(file_name, 中文说明)`, checked before any expensive step (size, zip totals).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass

from jixiao_core import archive
from jixiao_core.errors import InputError
from jixiao_core.facts import SourceDoc
from jixiao_core.reader.docx import document_text

MAX_BYTES = 20 * 1024 * 1024  # same cap as the upload limit
MAX_PDF_PAGES = 300


@dataclass(frozen=True)
class Magic:
    """A file signature and what it means for us."""

    prefix: bytes
    kind: str  # ole / pdf / zip / refuse
    message: str = ""


MAGICS = (
    Magic(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "不是 .docx 文件，请在 Word 中另存为 .docx 后再导入"),
    Magic(b"%PDF", "pdf"),
    Magic(b"PK\x03\x04", "zip"),
    Magic(b"PK\x05\x06", "zip"),
    Magic(b"{\\rtf", "refuse", "这是 RTF 文件，请在 Word 中另存为 .docx 后再导入"),
    Magic(b"\x89PNG", "refuse", "这是图片文件，请提供报告的 .docx、带文字层的 PDF 或文本文件"),
    Magic(b"\xff\xd8\xff", "refuse", "这是图片文件，请提供报告的 .docx、带文字层的 PDF 或文本文件"),
    Magic(b"GIF8", "refuse", "这是图片文件，请提供报告的 .docx、带文字层的 PDF 或文本文件"),
    Magic(b"Rar!", "refuse", "这是压缩包，请解压后导入其中的报告"),
    Magic(b"7z\xbc\xaf", "refuse", "这是压缩包，请解压后导入其中的报告"),
)

# Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Encodings tried in order when there is no BOM; gb18030 is a superset of GBK and GB2312.
FALLBACKS = ("utf-8", "gb18030")
_GARBAGE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def decode(file_name: str, data: bytes) -> SourceDoc:
    """Return the decoded document of one report file, or raise InputError saying what is wrong."""
    if not data:
        raise InputError(file_name, "文件为空")
    if len(data) > MAX_BYTES:
        raise InputError(
            file_name, f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {MAX_BYTES // 1048576} MB"
        )
    sha = hashlib.sha256(data).hexdigest()
    magic = next((m for m in MAGICS if data.startswith(m.prefix)), None)
    if magic is None and b"%PDF-" in data[:1024]:
        magic = Magic(b"", "pdf")
    if magic is None:
        text, encoding = decode_text(file_name, data)
        return SourceDoc(file_name, sha, "txt", encoding, text)
    if magic.kind in ("ole", "refuse"):
        raise InputError(file_name, _ole_message(file_name) if magic.kind == "ole" else magic.message)
    if magic.kind == "pdf":
        return pdf_source(file_name, sha, data)
    return SourceDoc(file_name, sha, "docx", None, docx_text(file_name, data))


def _ole_message(file_name: str) -> str:
    if file_name.lower().endswith((".xls", ".et")):
        return "不是 .xlsx 文件，请在 Excel 中另存为 .xlsx 后再导入"
    return MAGICS[0].message


def decode_text(file_name: str, data: bytes) -> tuple[str, str]:
    """Return (text, encoding) of a plain-text file; newlines become \\n."""
    bom = next(((b, enc) for b, enc in BOMS if data.startswith(b)), None)
    if bom is None and b"\x00" in data[:65536]:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError(file_name, "文件含有二进制数据（NUL 字节），不是文本文件，也不是 .docx 或 PDF")
        return text
    candidates = (bom[1],) if bom else FALLBACKS
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        _check_clean(file_name, text)
        return text, encoding
    if bom:
        raise InputError(file_name, f"文件以 {bom[1]} 标记开头，但内容无法按该编码解码")
    raise InputError(
        file_name, "无法识别文件编码（支持 UTF-8、UTF-8 BOM、GBK/GB18030、UTF-16 BOM），也不是 .docx 或 PDF"
    )


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Return (text, encoding) when NUL-bearing bytes are clean UTF-16 text without a BOM, else None."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _GARBAGE.search(text) and re.search(r"[\u4e00-\u9fff]", text):
            return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    return None


def _check_clean(file_name: str, text: str) -> None:
    """Refuse text that holds NUL, control characters or U+FFFD (binary data or a lossy conversion)."""
    bad = _GARBAGE.search(text)
    if bad is None:
        return
    if bad.group() == "\ufffd":
        raise InputError(file_name, "文本含有乱码替换字符（U+FFFD），可能在转换编码时已损坏，请提供原始文件")
    raise InputError(file_name, "文件含有二进制数据或控制字符，不是文本文件（也不是 .docx 或 PDF）")


def _open_zip(file_name: str, data: bytes) -> zipfile.ZipFile:
    """Return the archive after checking it is a .docx and not a zip bomb."""
    archive.check_directory(file_name, data, archive.DOCX)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # BadZipFile, NotImplementedError (zip version), RuntimeError (encrypted), OSError, ...
        raise InputError(file_name, "文件已损坏：压缩结构无法读取（不是有效的 .docx）") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise InputError(file_name, "这是 Excel 工作簿，不是报告；自评表请用导入功能按工作簿导入")
        raise InputError(file_name, "不是 .docx 文件（压缩包中没有 word/document.xml）")
    try:
        archive.scan(file_name, zf, archive.DOCX)  # sizes, ratios, DTDs and element counts before python-docx
    except archive.DAMAGED:
        raise InputError(file_name, "文件已损坏：压缩结构无法读取（不是有效的 .docx）") from None
    return zf


def docx_text(file_name: str, data: bytes) -> str:
    """Return the text of a .docx: paragraphs in order, table rows as tab-separated lines."""
    import docx

    _open_zip(file_name, data).close()
    try:
        text = document_text(docx.Document(io.BytesIO(data)))
    except Exception:  # python-docx raises many kinds (KeyError, XMLSyntaxError, ValueError) on broken parts
        raise InputError(file_name, "文件已损坏：.docx 内容无法读取，请在 Word 中打开后重新保存") from None
    if not text.strip():
        raise InputError(file_name, ".docx 中没有文字")
    return text


def pdf_source(file_name: str, sha: str, data: bytes) -> SourceDoc:
    """Return a PDF as a document: the text layer page by page, scanned pages (no text layer, an image) read by
    OCR; refuse broken or encrypted files, and scans when the OCR engine is missing or every page is unsure."""
    import pdfplumber

    # pdfminer logs a warning per damaged object; the user gets one InputError line instead
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages, scanned = [], []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise InputError(file_name, f"PDF 页数过多（{len(pdf.pages)} 页），上限为 {MAX_PDF_PAGES} 页")
            for n, page in enumerate(pdf.pages, start=1):
                pages.append(_clean_page(page_text(page)))
                if not _HAS_TEXT.search(pages[-1]) and page.images:
                    scanned.append(n)
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, PDFPasswordIncorrect, ...
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise InputError(file_name, "PDF 已加密，请提供未加密的文件") from None
        raise InputError(file_name, "PDF 文件已损坏，无法读取") from None
    read = _ocr(file_name, data, scanned) if scanned else []
    for p in read:
        pages[p.page - 1] = "" if p.low else p.text  # an unsure page is listed, never silently read
    text, spans = _join(pages, [p.page for p in read if not p.low])
    low = tuple(p.page for p in read if p.low)
    if not _HAS_TEXT.search(text):
        if low:
            raise InputError(
                file_name, f"扫描件文字识别置信度低（第 {_pages(low)} 页），未读取；{LOW_ADVICE}"
            )
        raise InputError(file_name, "PDF 没有文字层（可能是扫描件），请提供带文字层的 PDF 或 .docx")
    ocr_pages = tuple(p.page for p in read if not p.low)
    return SourceDoc(file_name, sha, "pdf", None, text, ocr_pages, tuple(spans), low)


_HAS_TEXT = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
LOW_ADVICE = "请提供更清晰的扫描件（建议 300 dpi）或带文字层的 PDF"


def _clean_page(text: str) -> str:
    return _GARBAGE.sub("", text.replace("\r\n", "\n").replace("\x0c", "\n"))


def _pages(numbers) -> str:
    return "、".join(str(n) for n in numbers)


def _join(pages: list[str], ocr_pages: list[int]) -> tuple[str, list[tuple[int, int]]]:
    """Return the pages joined by newlines, and the character range of each page read by OCR."""
    spans, at = [], 0
    for n, page in enumerate(pages, start=1):
        if n in ocr_pages:
            spans.append((at, at + len(page)))
        at += len(page) + 1
    return "\n".join(pages), spans


def _ocr(file_name: str, data: bytes, scanned: list[int]) -> list:
    """Return the scanned pages read by OCR, or refuse: engine missing, or too many pages."""
    from jixiao_core.reader import ocr

    if len(scanned) > ocr.MAX_PAGES:
        raise InputError(file_name, f"扫描页过多（{len(scanned)} 页），文字识别上限为 {ocr.MAX_PAGES} 页")
    hint = ocr.missing()
    if hint:
        raise InputError(file_name, f"PDF 没有文字层（扫描件，第 {_pages(scanned)} 页）；{hint}")
    try:
        return ocr.read_pages(data, scanned)
    except InputError:
        raise
    except Exception:  # pdfium cannot render a damaged page, or the engine fails on it
        raise InputError(file_name, "扫描页无法渲染或识别（PDF 可能已损坏）") from None


def page_text(page) -> str:
    """Return one PDF page: prose bands unwrapped, ruled tables as tab-separated rows in reading order."""
    x0, top, x1, bottom = page.bbox
    parts = []
    for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
        if table.bbox[1] > top:
            parts.append(unwrap(page.crop((x0, top, x1, table.bbox[1])).extract_text() or ""))
        rows = table.extract()
        parts.append("\n".join("\t".join((c or "").replace("\n", "") for c in row) for row in rows))
        top = max(top, table.bbox[3])
    if top < bottom:
        parts.append(unwrap(page.crop((x0, top, x1, bottom)).extract_text() or ""))
    return "\n".join(p for p in parts if p.strip())


_LINE_END = re.compile(r"[。；！？：:;!?]$")
_LINE_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）|\d+[.．、](?!\d)|第[一二三四五六七八九十]+)"
)


def _width(line: str) -> float:
    return sum(0.5 if c.isascii() else 1.0 for c in line.strip())


def unwrap(page: str) -> str:
    """Return a PDF page with the line breaks of wrapped paragraphs removed (full lines joined to the next)."""
    lines = page.split("\n")
    widths = sorted(_width(ln) for ln in lines if ln.strip())
    if len(widths) < 3:
        return page
    full = widths[int(len(widths) * 0.9)] * 0.85  # a wrapped line runs (nearly) to the right margin
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if _width(prev) >= full and not _LINE_END.search(prev.rstrip()) and not _LINE_START.match(line):
            out[-1] = prev.rstrip() + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)
