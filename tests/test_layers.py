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
UI_GLUE = sorted((ROOT / "ui").glob("*.py"))  # the ui package: the facade pages import, and its modules
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
    assert {name for name in _imports(_tree(path)) if name.startswith("ui.")} == set()


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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in CORE}


def _core_edges(path: Path) -> set[str]:
    """Return the core modules `path` imports anywhere in it (a name imported from a package that is a module of
    its own counts as that module)."""
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            out |= {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}
    return {m for m in out if m in MODULES and m != me}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_module_of_the_core_imports_a_module_that_imports_it_back():
    assert _cycles({name: _core_edges(path) for name, path in MODULES.items()}) == []


def test_the_circle_check_finds_a_circle_through_three_modules():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_stays_short_enough_to_read_as_its_screen(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 80
