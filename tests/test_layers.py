"""Unit: the import rule and page hygiene, checked with ast over the source tree (STYLE.md principles 1–2)."""

import ast
import re
import socket
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "jixiao_core").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))
UI_GLUE = sorted(ROOT.glob("ui*.py"))  # ui.py, the facade pages import, and the ui_* modules behind it
SHELLS = [ROOT / "dashboard.py", *UI_GLUE, *PAGES]
FORBIDDEN_IN_CORE = {"streamlit", "ui", "pages", "dashboard"}
PAGE_FORBIDDEN_CALLS = {
    "select",
    "groupby",
    "read_sql",
    "execute",
    "text",
    "pivot_table",
    "Session",
    "connect",
}
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b", re.IGNORECASE | re.DOTALL)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_never_imports_streamlit_or_the_shells(path):
    roots = {name.split(".")[0] for name in _imports(_tree(path))}
    assert roots & FORBIDDEN_IN_CORE == set()


def _is_literal_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _unsafe_html_calls(tree: ast.Module) -> list[int]:
    """Return line numbers of unsafe_allow_html=True or st.html calls whose content is not a literal string."""
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        unsafe = any(
            k.arg == "unsafe_allow_html"
            and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        )
        if (unsafe or _call_name(node) == "html") and not (node.args and _is_literal_str(node.args[0])):
            bad.append(node.lineno)
    return bad


@pytest.mark.parametrize("path", [*SHELLS, *CORE], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_html_is_rendered_from_non_literal_text(path):
    assert _unsafe_html_calls(_tree(path)) == []


def test_the_html_check_catches_data_passed_as_html():
    tree = ast.parse(
        "st.markdown(name, unsafe_allow_html=True)\nst.html(f'<b>{x}</b>')\nst.markdown('<br>', unsafe_allow_html=True)"
    )
    assert _unsafe_html_calls(tree) == [1, 2]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_holds_no_sql_select_or_groupby(path):
    tree = _tree(path)
    calls = {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    strings = [n.value for n in ast.walk(tree) if _is_literal_str(n)]
    database = {name for name in _imports(tree) if name.split(".")[0] == "sqlalchemy"}
    assert (calls & PAGE_FORBIDDEN_CALLS, [s for s in strings if SQL.search(s)], database) == (
        set(),
        [],
        set(),
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_reaches_the_ui_glue_only_through_ui(path):
    behind_ui = {p.stem for p in UI_GLUE} - {"ui"}
    assert {name.split(".")[0] for name in _imports(_tree(path))} & behind_ui == set()


def test_dashboard_is_a_router_with_ascii_page_files_and_url_paths():
    tree = _tree(ROOT / "dashboard.py")
    pages = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _call_name(n) == "Page"]
    files = [n.args[0].value for n in pages]
    url_paths = [k.value.value for n in pages for k in n.keywords if k.arg == "url_path"]
    assert all(f.isascii() and (ROOT / f).is_file() for f in files)
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", u) for u in url_paths)
    assert len(set(url_paths)) == len(url_paths) == len(files) - 1  # the default page lives at the root URL
    assert {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)} & PAGE_FORBIDDEN_CALLS == set()


def test_streamlit_config_sets_the_production_options():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["browser"]["gatherUsageStats"] is False
    assert (settings["client"]["showErrorDetails"], settings["client"]["toolbarMode"]) == ("none", "viewer")
    assert (settings["server"]["maxUploadSize"], settings["server"]["headless"]) == (20, True)
    assert settings["runner"]["postScriptGC"] is False
    assert settings["theme"]["font"].startswith("'Noto Sans CJK SC'")


def test_serve_sets_tcp_nodelay_on_streamlits_listening_socket():
    import serve

    sock = serve.bind_nodelay("127.0.0.1", 0, 8)  # fails loudly if Streamlit renames its private _bind_socket
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()
