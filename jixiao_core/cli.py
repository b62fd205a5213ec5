"""`python -m jixiao_core <command>`: a thin shell over the core (CONTRACT.md). Bad input exits 2 with one Chinese line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from jixiao_core import config, db
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit 2 in English
        raise InputError("命令行", f"参数有误（{message}）；用 --help 查看用法")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m jixiao_core", description="绩效看板：读取、核查、评分和展示项目支出绩效评价")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("init", help="创建或升级数据库并载入内置数据集")
    c.add_argument("--db")
    c = sub.add_parser("parse", help="解析一份绩效评价报告（不写数据库）")
    c.add_argument("file")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("import", help="解析并入库一份报告或自评表")
    c.add_argument("file")
    c.add_argument("--db")
    c.add_argument(
        "--replace", action="store_true", help="替换同一单位、项目、年度的现有版本（旧版保留在历史中）"
    )
    c.add_argument("--user")
    for name, help_text in (("audit", "核查报告自身的数字"), ("score", "重建自评表并评分")):
        c = sub.add_parser(name, help=help_text)
        c.add_argument("file", nargs="?")
        c.add_argument("--unit")
        c.add_argument("--year", type=int)
        c.add_argument("--project")
        c.add_argument("--db")
        c.add_argument("--json", action="store_true")
        if name == "score":
            c.add_argument("--rules", default="national")
    c = sub.add_parser("demo", help="生成演示数据（标记为生成数据，不与真实数据混合）")
    c.add_argument("--units", type=int, default=3)
    c.add_argument("--years", default="2021-2023", help="如 2021-2023 或 2022,2023")
    c.add_argument("--db")
    c = sub.add_parser("export", help="导出汇报材料")
    c.add_argument("--unit", required=True)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--project")
    c.add_argument("--format", required=True, choices=("xlsx", "pptx", "pdf"))
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--db")
    c.add_argument("--rules", default="national")
    return p


def _engine(args):
    return db.make_engine(config.database_url(getattr(args, "db", None)))


def cmd_init(args) -> int:
    from jixiao_core.store import ingest

    print(ingest.init(_engine(args)).line())
    return 0


def cmd_parse(args) -> int:
    from jixiao_core import facts
    from jixiao_core.store import ingest

    path = Path(args.file)
    rep = ingest.enrich(ingest.parse_any(path.name, ingest.read_upload(path)))
    if args.json:
        _print_json(facts.report_json(rep))
    else:
        print(_report_line(rep))
    return 0


def cmd_import(args) -> int:
    from jixiao_core.store import ingest

    engine = _engine(args)
    db.check_writable(engine)
    db.upgrade(engine)
    with Session(db.writer(engine)) as s, s.begin():
        res = ingest.import_file(s, Path(args.file), replace=args.replace)
    name = Path(args.file).name
    if res.status == "duplicate":
        print(f"{name}：相同内容已导入过，未做任何更改")
    else:
        verb = "已替换旧版本" if res.status == "replaced" else "已导入"
        print(f"{name}：{verb}（第 {res.revision} 版），指标 {res.indicators} 条，核查发现 {res.findings} 条")
    return 0


def _report_for(args):
    """Return the Report named by FILE, or by --unit/--year from the database."""
    from jixiao_core.store import ingest
    from jixiao_core.store import read as stored

    if args.file:
        path = Path(args.file)
        return ingest.enrich(ingest.parse_any(path.name, ingest.read_upload(path)))
    if not (args.unit and args.year):
        raise InputError("命令行", "请给出文件，或同时给出 --unit 和 --year")
    with Session(_engine(args)) as s:
        return stored.load_report(s, args.unit, args.year, args.project)


def cmd_audit(args) -> int:
    from jixiao_core import facts

    rep = _report_for(args)
    if args.json:
        _print_json({"findings": [facts.finding_json(f) for f in rep.findings]})
    else:
        for f in rep.findings:
            print(f"[{f.severity}] {f.kind}：{f.message}")
        print(f"共 {len(rep.findings)} 条核查发现")
    return 0


def cmd_score(args) -> int:
    from jixiao_core import scoring
    from jixiao_core.scoring import rebuild
    from jixiao_core.scoring.rules import rule_set
    from jixiao_core.store import ingest
    from jixiao_core.store import read as stored

    rules = rule_set(args.rules)
    if args.file:  # a 自评表 workbook is scored as it stands; a report is rebuilt into one first
        path = Path(args.file)
        result = scoring.score(rebuild.table_for_file(path.name, ingest.read_upload(path)), rules)
    elif args.unit and args.year:
        with Session(_engine(args)) as s:
            result = scoring.score_year(stored.load_report(s, args.unit, args.year, args.project), rules)
    else:
        raise InputError("命令行", "请给出文件，或同时给出 --unit 和 --year")
    if args.json:
        _print_json(scoring.score_json(result))
    else:
        print(f"总分 {result.total}，等级 {result.grade}（规则 {rules.key}）")
    return 0


def cmd_export(args) -> int:
    from jixiao_core.meeting import exports

    with Session(_engine(args)) as s:
        data = exports.build(s, args.unit, args.year, args.format, project=args.project, rules=args.rules)
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as e:
        raise InputError(str(out), f"无法写入输出文件（{e.strerror}）") from None
    print(f"已导出 {out}（{len(data) / 1024:.0f} KB）")
    return 0


def _years(spec: str) -> tuple[int, ...]:
    try:
        if "-" in spec:
            a, b = (int(x) for x in spec.split("-", 1))
            return tuple(range(a, b + 1))
        return tuple(int(x) for x in spec.split(","))
    except ValueError:
        raise InputError("--years", f"年度格式不正确：{spec!r}（应如 2021-2023 或 2022,2023）") from None


def cmd_demo(args) -> int:
    from jixiao_core.store import demo

    if not 1 <= args.units <= 500:
        raise InputError("--units", "演示单位数应在 1–500 之间")
    engine = _engine(args)
    db.check_writable(engine)
    db.upgrade(engine)
    with Session(db.writer(engine)) as s, s.begin():
        res = demo.generate(s, args.units, _years(args.years))
    stored_n = sum(r.status != "duplicate" for r in res)
    print(f"已生成演示数据 {stored_n} 个项目年度（已存在 {len(res) - stored_n} 个），均标记为生成数据")
    return 0


COMMANDS = {
    "demo": cmd_demo,
    "init": cmd_init,
    "parse": cmd_parse,
    "import": cmd_import,
    "audit": cmd_audit,
    "score": cmd_score,
    "export": cmd_export,
}


def _report_line(rep) -> str:
    return (
        f"{rep.unit_name} {rep.year}年 {rep.project_name}：工作领域 {len(rep.areas)} 个，"
        f"指标 {len(rep.indicators)} 条，核查发现 {len(rep.findings)} 条"
    )


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _once_to_stderr():
    told = set()

    def tell(notice: str) -> None:
        if notice not in told:
            told.add(notice)
            print(notice, file=sys.stderr, flush=True)

    return tell


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (0 ok, 2 bad input, 1 internal error), never a traceback."""
    try:
        args = build_parser().parse_args(argv)
        # the command line acts as its operator; a writer waiting its turn says so once, on stderr
        with actor.operating(name=getattr(args, "user", None)), db.notices(_once_to_stderr()):
            return COMMANDS[args.command](args)
    except InputError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - rule 3: no traceback ever reaches the command line
        print(
            f"内部错误：{type(e).__name__}：{str(e).splitlines()[0][:200] if str(e) else ''}", file=sys.stderr
        )
        return EXIT_INTERNAL
