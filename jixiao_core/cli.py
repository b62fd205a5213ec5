"""`python -m jixiao_core <command>`: a thin shell over the core (CONTRACT.md). Bad input exits 2 with one Chinese line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from jixiao_core import config, db, models, workers
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
    c = sub.add_parser("import", help="解析并入库报告或自评表：一个文件，或多个文件和文件夹（批量）")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--db")
    c.add_argument("--workers", type=int, help="批量导入时读取文件的进程数（默认每个 CPU 核一个）")
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
    _user_parser(sub)
    c = sub.add_parser("items", help="整改事项")
    c.add_argument("--unit", required=True)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--project")
    c.add_argument("--status", choices=("open", "overdue", "closed"), help="open 含逾期")
    c.add_argument("--today", help="判断逾期的日期（默认今天），如 2025-06-30")
    c.add_argument("--json", action="store_true")
    c.add_argument("--db")
    c = sub.add_parser("brief", help="结果应用简报：评价结果对下年度预算的意义")
    c.add_argument("--unit", required=True)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--project")
    c.add_argument("--format", required=True, choices=("pdf", "xlsx"))
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--today", help="判断逾期的日期（默认今天），如 2025-06-30")
    c.add_argument("--rules", default="national")
    c.add_argument("--db")
    return p


def _user_parser(sub) -> None:
    u = sub.add_parser("user", help="管理账号（需管理员；数据库中还没有账号时可创建第一个管理员）")
    verbs = u.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    c = verbs.add_parser("add", help="新建账号；不加 --password-stdin 时生成随机初始密码并只显示这一次")
    c.add_argument("name")
    c.add_argument("--role", required=True, choices=("viewer", "clerk", "admin"))
    c.add_argument("--unit", action="append", default=[], help="可查看的单位，可重复；不给则为全部单位")
    c.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（第一行）")
    c = verbs.add_parser("list", help="列出账号")
    c = verbs.add_parser("passwd", help="重设密码（并结束该账号的所有会话）")
    c.add_argument("name")
    c.add_argument("--password-stdin", action="store_true")
    for verb, text in (("disable", "停用账号（其会话在下一次请求时结束）"), ("enable", "启用账号")):
        c = verbs.add_parser(verb, help=text)
        c.add_argument("name")
    c = verbs.add_parser("units", help="修改账号可查看的单位；不给 --unit 则为全部单位")
    c.add_argument("name")
    c.add_argument("--unit", action="append", default=[])
    for c in verbs.choices.values():
        c.add_argument("--db")


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
    rep = ingest.read_bounded(path.name, ingest.read_upload(path)).report
    if args.json:
        _print_json(facts.report_json(rep))
    else:
        print(_report_line(rep))
    return 0


def cmd_import(args) -> int:
    from jixiao_core.store import ingest

    paths = [Path(p) for p in args.paths]
    if len(paths) > 1 or paths[0].is_dir():
        return _import_batch(args, paths)
    engine = _engine(args)
    db.check_writable(engine)
    db.upgrade(engine)
    with Session(db.writer(engine)) as s, s.begin():
        res = ingest.import_file(s, paths[0], replace=args.replace)
    name = paths[0].name
    if res.status == "duplicate":
        print(f"{name}：相同内容已导入过，未做任何更改")
    else:
        verb = "已替换旧版本" if res.status == "replaced" else "已导入"
        print(f"{name}：{verb}（第 {res.revision} 版），指标 {res.indicators} 条，核查发现 {res.findings} 条")
    return 0


def _import_batch(args, paths: list[Path]) -> int:
    """Import many files: a line per file as it is decided, a progress bar on a terminal, then the summary."""
    from jixiao_core.store import batch

    if args.workers is not None and not 1 <= args.workers <= 64:
        raise InputError("--workers", "进程数应在 1–64 之间")
    engine = _engine(args)
    db.check_writable(engine)
    db.upgrade(engine)
    progress = _Progress()
    try:
        summary = batch.run(
            engine,
            paths,
            replace=args.replace,
            processes=args.workers,
            on_start=progress.start,
            on_file=progress.file,
        )
    except KeyboardInterrupt:
        progress.close()
        print(f"已中断：已处理 {progress.done} 个文件；再次运行同一命令会从中断处继续", file=sys.stderr)
        return 130
    progress.close()
    print(summary.line())
    return summary.exit_status


class _Progress:
    """Lines as files are decided; on a terminal also a bar with the count and the time left (tqdm, on stderr)."""

    def __init__(self):
        self.total = self.done = 0
        self.bar = None

    def start(self, total: int) -> None:
        self.total = total
        if sys.stdout.isatty() and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="个文件", file=sys.stderr, dynamic_ncols=True, leave=False)

    def file(self, outcome) -> None:
        self.done += 1
        line = f"[{self.done}/{self.total}] {outcome.line()}"
        if self.bar is None:
            print(line, flush=True)
        else:
            self.bar.write(line, file=sys.stdout)
            self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _report_for(args):
    """Return the Report named by FILE, or by --unit/--year from the database."""
    from jixiao_core.store import ingest
    from jixiao_core.store import read as stored

    if args.file:
        path = Path(args.file)
        return ingest.read_bounded(path.name, ingest.read_upload(path)).report
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
    from jixiao_core.scoring.rules import rule_set
    from jixiao_core.store import ingest
    from jixiao_core.store import read as stored

    rules = rule_set(args.rules)
    if args.file:  # a 自评表 workbook is scored as it stands; a report is rebuilt into one first
        path = Path(args.file)
        table = workers.run(path.name, ingest.table_for_file, path.name, ingest.read_upload(path))
        result = scoring.score(table, rules)
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

    with Session(_engine(args)) as s, s.begin():  # the export is recorded in the log
        data = exports.build(s, args.unit, args.year, args.format, project=args.project, rules=args.rules)
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as e:
        raise InputError(str(out), f"无法写入输出文件（{e.strerror}）") from None
    print(f"已导出 {out}（{len(data) / 1024:.0f} KB）")
    return 0


def _write(path: str, data: bytes) -> None:
    out = Path(path)
    try:
        out.write_bytes(data)
    except OSError as e:
        raise InputError(str(out), f"无法写入输出文件（{e.strerror}）") from None
    print(f"已导出 {out}（{len(data) / 1024:.0f} KB）")


def cmd_items(args) -> int:
    from jixiao_core import labels
    from jixiao_core.rectify import ledger
    from jixiao_core.store import read as stored

    today = config.today(args.today)
    with Session(_engine(args)) as s:
        project = stored.current_project_year(
            s, args.unit, args.year, args.project
        )  # refuses an unknown unit-year
        name = s.get(models.Project, project.project_id).name
        df = ledger.items_for(s.connection(), args.unit, (args.year,), today, args.status, name)
    if args.json:
        _print_json(ledger.items_json(df))
        return 0
    for r in df.itertuples():
        print(
            f"#{r.id} [{labels.ITEM_STATUS_LABELS[r.status]}] {r.year}年 {labels.ITEM_SOURCE_LABELS[r.source]}｜{r.problem}"
            f"｜责任科室 {r.body or labels.NO_BODY}｜期限 {r.deadline or '未定'}"
        )
    print(f"共 {len(df)} 项整改事项（{today.isoformat()}）")
    return 0


def cmd_brief(args) -> int:
    from jixiao_core.meeting import application_export as brief_export

    with Session(_engine(args)) as s:
        data = brief_export.build(
            s, args.unit, args.year, args.format, config.today(args.today), args.project, args.rules
        )
    _write(args.output, data)
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
    years, res = _years(args.years), []
    for unit_nos in demo.batches(args.units):  # one short transaction per batch: other writers wait one batch
        with Session(db.writer(engine)) as s, s.begin():
            res += demo.store_batch(s, unit_nos, years)
    stored_n = sum(r.status != "duplicate" for r in res)
    print(f"已生成演示数据 {stored_n} 个项目年度（已存在 {len(res) - stored_n} 个），均标记为生成数据")
    return 0


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def cmd_user(args) -> int:
    from jixiao_core.accounts import users

    engine = _engine(args)
    if args.user_command != "list":
        db.check_writable(engine)
    db.upgrade(engine)
    given = _password_from_stdin() if getattr(args, "password_stdin", False) else None
    with Session(db.writer(engine)) as s, s.begin():
        verb = args.user_command
        if verb == "list":
            _print_accounts(users.listing(s.connection()))
            return 0
        if verb == "add":
            added = users.add(s, args.name, args.role, tuple(args.unit), given)
            print(
                f"已创建账号 {added.name}（{_role_label(args.role)}，{users.units_text(tuple(args.unit), args.role)}）"
            )
            shown = added.password
        elif verb == "passwd":
            shown = users.set_password(s, args.name, given)
            print(f"已重设 {args.name} 的密码，该账号已登录的会话均已结束")
        elif verb in ("disable", "enable"):
            users.set_active(s, args.name, verb == "enable")
            print(f"已{'启用' if verb == 'enable' else '停用'}账号 {args.name}")
            shown = None
        else:
            users.set_units(s, args.name, tuple(args.unit))
            print(f"{args.name} 可查看的单位：{users.units_text(tuple(args.unit), 'viewer')}")
            shown = None
    if shown:  # printed once, after the commit; only its hash is stored
        print(f"初始密码（只显示这一次，请转交本人并提醒登录后妥善保管）：{shown}")
    return 0


def _role_label(role: str) -> str:
    from jixiao_core.roles import ROLE_LABELS

    return ROLE_LABELS[role]


def _print_accounts(df) -> None:
    if df.empty:
        print("尚无账号（单用户模式：本机打开看板无需登录）")
        return
    for row in df.itertuples():
        state = "启用" if row.is_active else "停用"
        if (
            row.locked_until == row.locked_until and row.locked_until is not None
        ):  # NaT is not equal to itself
            state += f"，锁定至 {row.locked_until:%Y-%m-%d %H:%M}"
        print(f"{row.name}\t{_role_label(row.role)}\t{row.units}\t{state}")
    print(f"共 {len(df)} 个账号")


COMMANDS = {
    "demo": cmd_demo,
    "init": cmd_init,
    "parse": cmd_parse,
    "import": cmd_import,
    "audit": cmd_audit,
    "score": cmd_score,
    "export": cmd_export,
    "user": cmd_user,
    "items": cmd_items,
    "brief": cmd_brief,
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
