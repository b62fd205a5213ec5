"""A headless Streamlit client over the websocket (`/_stcore/stream`, subprotocol `streamlit`), as the browser
speaks it: ask for a run of a page with widget values, read the elements it draws, upload a file to a
file_uploader. The benchmark times reruns with it (PERFORMANCE.md §4: `rerun_script` → `script_finished`); the
chain test drives the 数据管理 page through nginx with it.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
XSRF_COOKIE = "_streamlit_xsrf"


@dataclass
class Run:
    """What one script run sent: its elements (as protobuf Element messages), bytes received and wall time."""

    elements: list = field(default_factory=list)
    received: int = 0
    seconds: float = 0.0

    def of_type(self, kind: str) -> list:
        return [e for e in self.elements if e.WhichOneof("type") == kind]

    def widget(self, kind: str, key: str):
        """Return the widget element of `kind` whose user key is `key` (its id ends in it)."""
        found = [e for e in self.of_type(kind) if getattr(e, kind).id.endswith(f"-{key}")]
        if not found:
            raise LookupError(f"no {kind} with key {key!r}")
        return getattr(found[-1], kind)

    def texts(self) -> list[str]:
        """Return the markdown, alert, caption and title texts shown, in order."""
        out = []
        for e in self.elements:
            kind = e.WhichOneof("type")
            if kind in ("markdown", "alert", "heading"):
                out.append(getattr(e, kind).body)
        return out


class Session:
    """One browser tab: cookies from the first page load, then one websocket for every run."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None):
        self.base = base.rstrip("/")
        self.cookies = dict(cookies or {})
        self.ws = None
        self.session_id = ""

    async def open(self) -> Session:
        self._load_page()
        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        self.ws = await websockets.connect(
            url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self._cookie_header()},
            max_size=None,
            compression=None,
            open_timeout=30,
        )
        return self

    def _load_page(self) -> None:
        # as the browser: the page (behind nginx it sets the route cookie that keeps this tab on one server), then
        # the health check, whose answer sets the XSRF cookie uploads must echo
        for path in ("/", "/_stcore/health"):
            req = urllib.request.Request(self.base + path, headers={"Cookie": self._cookie_header()})
            with urllib.request.urlopen(req, timeout=30) as r:
                for header in r.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, page: str = "", widgets: list[WidgetState] | None = None, query: str = "") -> Run:
        """Ask for a run of `page` (its url path; "" = the default page) and return what it drew; a run ended early
        by st.rerun() is followed to the run that finishes."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name = query, page
        state.widget_states.widgets.extend(widgets or [])
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run()
        while True:
            fwd = await self._receive(run)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                run.elements.append(fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished != EARLY:
                run.seconds = time.perf_counter() - start
                return run

    async def _receive(self, run: Run) -> ForwardMsg:
        data = await asyncio.wait_for(self.ws.recv(), timeout=120)
        run.received += len(data)
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        return fwd

    async def upload(self, name: str, data: bytes) -> UploadedFileInfo:
        """Upload one file as the browser does (ask for URLs, PUT the bytes); return the uploader's value for it."""
        msg = BackMsg()
        msg.file_urls_request.request_id = uuid.uuid4().hex
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = await self._receive(Run())
            if fwd.WhichOneof("type") == "file_urls_response":
                urls: FileURLs = fwd.file_urls_response.file_urls[0]
                break
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        return UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls)

    def _put(self, url: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": self._cookie_header(),
            "X-Xsrftoken": self.cookies.get(XSRF_COOKIE, ""),
        }
        target = url if url.startswith("http") else self.base + url
        req = urllib.request.Request(target, data=body, method="PUT", headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()


def trigger(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def files(widget_id: str, *infos: UploadedFileInfo) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.file_uploader_state_value.uploaded_file_info.extend(infos)
    return state


def flag(widget_id: str, value: bool) -> WidgetState:
    return WidgetState(id=widget_id, bool_value=value)
