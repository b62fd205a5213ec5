"""Chinese display text and number formatters: the only place English identifiers meet Chinese labels."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

MISSING = "缺失"
EMPTY_DATA = "尚无数据：请在数据管理页导入报告，或运行 python -m jixiao_core init"
GENERATED_BANNER = "演示数据：当前单位的数据是生成的示例，不是真实报告，请勿用于汇报或决策。"

COLUMN_LABELS = {
    "unit_name": "单位",
    "kind": "类型",
    "district": "区县",
    "year": "年度",
    "previous_year": "上年",
    "budget": "全年预算（万元）",
    "budget_initial": "年初预算（万元）",
    "arrived": "到位资金（万元）",
    "spent": "支出（万元）",
    "arrival_rate": "到位率",
    "execution_rate": "执行率（支出/预算）",
    "execution_rate_arrived": "执行率（支出/到位）",
    "area_seq": "序号",
    "area_title": "工作领域",
    "area": "工作领域",
    "name": "指标",
    "value": "完成值",
    "target_value": "目标值",
    "unit": "计量单位",
    "actual": "完成值",
    "previous_actual": "上年完成值",
    "change": "变化",
    "change_pct": "变化率",
    "target": "目标值",
    "rate": "报告所述完成率",
    "completion": "完成率（复算）",
    "status": "状态",
    "level1": "一级指标",
    "level2": "二级指标",
    "direction": "方向",
    "text": "原文",
    "indicators": "指标数",
    "with_target": "有目标",
    "met": "达标",
    "missed": "未达标",
    "no_target": "无目标",
    "mean_completion": "平均完成率",
    "community": "社区",
    "facts": "归属指标数",
    "goal_seq": "目标",
    "goal": "阶段性目标",
    "severity": "严重程度",
    "findings": "核查发现",
    "message": "说明",
    "month": "月份",
    "spent_to_date": "累计支出（万元）",
    "execution_progress": "执行进度",
    "time_progress": "时间进度",
    "warning_value": "预警值",
    "light": "信号灯",
    "file_name": "文件名",
    "imported_at": "导入时间",
    "imported_by": "导入人",
    "summary": "摘要",
    "is_generated": "演示数据",
    "units": "单位数",
    "rank": "排名",
    "score": "得分",
    "grade": "等级",
    "met_share": "目标达成比例",
    "warnings": "警示",
    "min_actual": "最低",
    "mean_actual": "平均",
    "max_actual": "最高",
}
# what the district view ranks by (queries.district.MEASURES); short, as they also stand in the URL
MEASURE_LABELS = {
    "score": "得分",
    "execution_rate": "执行率",
    "met_share": "目标达成比例",
    "warnings": "核查警示",
}

FINDING_LABELS = {
    "rate_mismatch": "完成率与数值不符",
    "implausible_rate": "完成率不合理",
    "target_missed": "未完成目标",
    "claim_contradicted": "结论与数字矛盾",
    "fund_inconsistency": "资金数字不一致",
    "sum_mismatch": "分项与合计不符",
    "over_achievement": "超额完成需说明",
    "ocr_low_confidence": "扫描页识别置信度低",
}
SEVERITY_LABELS = {"error": "严重", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = ("error", "warning", "info")
DIRECTION_LABELS = {"positive": "正向", "negative": "反向", "equal": "等于", "qualitative": "定性"}
STATUS_LABELS = {"met": "达标", "missed": "未达标", "no_target": "无目标"}
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
BATCH_KIND_LABELS = {"bundled": "内置数据集", "report": "报告", "workbook": "自评表", "generated": "生成数据"}
BATCH_RESULT_LABELS = {"stored": "已导入", "duplicate": "已存在", "replaced": "已替换", "refused": "未导入"}
BATCH_COLUMN_LABELS = {
    "path": "文件",
    "unit": "单位",
    "project": "项目",
    "year": "年度",
    "result": "结果",
    "reason": "原因",
    "indicators": "指标数",
    "findings": "核查发现",
    "ocr": "文字识别页",
}
BATCH_RUN_LABELS = {
    "started_at": "开始时间",
    "started_by": "导入人",
    "label": "文件或文件夹",
    "status": "状态",
    "files": "文件数",
    "stored": "新导入",
    "duplicate": "已存在",
    "replaced": "替换",
    "refused": "未导入",
}
BATCH_STATUS_LABELS = {"running": "进行中或已中断", "interrupted": "已中断", "done": "已完成"}
OCR_BADGE = "〔OCR〕"  # a figure read from a scanned page by OCR: check it against the scan
STORE_STATUS_LABELS = {
    "stored": "已导入",
    "replaced": "已替换旧版本",
    "duplicate": "该文件已导入过，未做改动",
}
# short names of the seed's work areas, keyed by WorkArea.key; unknown keys fall back to the report's title
LOG_ACTION_LABELS = {
    "signin": "登录",
    "signin_failed": "登录失败",
    "signin_locked": "锁定期间尝试登录",
    "signout": "退出登录",
    "import": "导入",
    "replace": "替换版本",
    "correct": "更正数据",
    "export": "导出",
    "demo": "生成演示数据",
    "init": "初始化数据库",
    "account_add": "新建账号",
    "account_password": "重设密码",
    "account_disable": "停用账号",
    "account_enable": "启用账号",
    "account_units": "修改单位范围",
    "account_role": "修改角色",
}
# tables whose "name" and "unit" mean an account and a budget unit, not an indicator and its measure
ACCOUNT_HEADERS = {
    "name": "账号",
    "role": "角色",
    "units": "可查看的单位",
    "is_active": "启用",
    "created_at": "创建时间",
    "last_signin": "最近登录",
    "locked_until": "锁定至",
}
LOG_HEADERS = {
    "at": "时间",
    "person": "账号",
    "action": "操作",
    "unit": "单位",
    "detail": "内容",
    "source": "来源",
}
AREA_LABELS = {
    "economy": "经济指标",
    "party_building": "党建",
    "land_relocation": "征地拆迁和村庄搬迁",
    "social_development": "社会建设",
    "livelihood": "为民实事",
    "public_safety": "社会环境/平安",
    "cityscape": "市容环境",
    "culture": "文化环境",
}
LEVEL_LABELS = {"unit": "单位", "community": "社区", "area": "工作领域", "project": "项目"}
GOAL_ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是")
RULE_LABELS = {
    "national": "全国通用（财预〔2020〕10号）",
    "hubei": "湖北口径",
    "jiangxi": "江西口径",
    "custom": "自定义",
}
SCORE_COLUMN_LABELS = {
    "level3": "三级指标",
    "target_text": "年度指标值",
    "actual_text": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "formula": "计算",
    "note": "偏差说明",
    "over_130": "超130%需说明",
    "cell": "出处",
    "reason": "原因",
}
COMPARATOR_LABELS = {">=": "≥", "<=": "≤", "=": "="}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _fixed(x, places: int = 2) -> str:
    # 四舍五入 (half-up), never the banker's rounding of format() on Decimal
    q = Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}"


def fmt_num(v) -> str:
    """Return a Decimal as printed, without exponent or trailing zeros (`9.67`, `2086`, 10.00 → `10`); `—` for None."""
    if v is None:
        return "—"
    text = format(v, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_wan(yuan: Decimal | None) -> Decimal | None:
    """Return 元 as 万元 rounded half-up to 0.01."""
    return None if yuan is None else (Decimal(yuan) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)


def fmt_wan(yuan) -> str:
    """Return 元 as 万元 with two decimals: 4500000 → '450.00万元'."""
    return MISSING if _missing(yuan) else _fixed(Decimal(str(yuan)) / 10000) + "万元"


def fmt_yi(yuan) -> str:
    """Return 元 as 亿元 with two decimals: 967000000 → '9.67亿元'."""
    return MISSING if _missing(yuan) else _fixed(Decimal(str(yuan)) / 100000000) + "亿元"


def fmt_amount(yuan) -> str:
    """Return 元 in 亿元 from one 亿 upwards, else in 万元."""
    if _missing(yuan):
        return MISSING
    return fmt_yi(yuan) if abs(Decimal(str(yuan))) >= 100000000 else fmt_wan(yuan)


def fmt_pct(pct) -> str:
    """Return a percentage with two decimals: 100 → '100.00%'."""
    return MISSING if _missing(pct) else _fixed(pct) + "%"


def fmt_count(n) -> str:
    return MISSING if _missing(n) else f"{int(n):,}"


def area_label(key, title) -> str:
    """Return the short Chinese label of a work area, or its title when the key is unknown."""
    return AREA_LABELS.get(key, title if not _missing(title) else MISSING)


def fmt_value(printed, unit, qualifier=None, comparator=None) -> str:
    """Return a reported figure as written: '约60亩', '8000余人', '7.8万余平方米', '≥42小时'."""
    if _missing(printed):
        return MISSING
    unit = "" if _missing(unit) else unit
    number = str(printed)
    if qualifier == "approx":
        number = "约" + number
    elif qualifier == "more_than":
        # 7.8万余平方米: 万 is part of the number there, but 780余万元 keeps 万元 whole
        if unit.startswith("万") and unit != "万元":
            return f"{number}万余{unit[1:]}"
        return f"{number}余{unit}"
    prefix = COMPARATOR_LABELS.get(comparator, "") if not _missing(comparator) else ""
    return f"{prefix}{number}{unit}"


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=])")


def md_escape(text: str) -> str:
    """Return `text` with every Markdown-active character backslash-escaped (report text is data)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def highlight_markdown(text: str, needle: str | None) -> str:
    """Return escaped Markdown of `text` with the first occurrence of `needle` highlighted."""
    if not needle or needle not in text:
        return md_escape(text)
    start = text.index(needle)
    end = start + len(needle)
    return f"{md_escape(text[:start])}:orange-background[**{md_escape(needle)}**]{md_escape(text[end:])}"


def figure_needle(text: str, printed) -> str | None:
    """Return the span of `text` that prints the figure `printed` (digits with 约/余 around), if present."""
    if _missing(printed) or not text:
        return None
    match = re.search(r"约?(?<![\d.])" + re.escape(str(printed)) + r"(?![\d.])余?", text)
    return match.group(0) if match else None


def verdict_line(with_target: int, missed: int, missed_names: list[str]) -> str:
    """Return what the figures say about targets, in one sentence."""
    if with_target == 0:
        return "报告中没有可对照目标的指标，无法判断目标是否全部完成。"
    if missed == 0:
        return f"有目标的 {with_target} 项指标全部达标。"
    names = "、".join(missed_names[:6]) + ("等" if len(missed_names) > 6 else "")
    return f"有目标的 {with_target} 项指标中 {missed} 项未达标：{names}。"


def goal_label(seq: int) -> str:
    return GOAL_ORDINALS[seq - 1] if 1 <= seq <= len(GOAL_ORDINALS) else f"第{seq}项"


# 整改 items (rectify): status as shown (逾期 follows from the deadline), sources, history steps, follow-up kinds
ITEM_STATUS_LABELS = {"pending": "待整改", "in_progress": "整改中", "done": "已整改", "overdue": "逾期"}
ITEM_STATUS_FILTER_LABELS = {"open": "未完成", "overdue": "逾期", "closed": "已整改"}
ITEM_SOURCE_LABELS = {
    "report": "报告自述问题",
    "suggestion": "报告意见建议",
    "finding": "核查发现",
    "manual": "人工录入",
}
ITEM_FIELD_LABELS = {
    "problem": "问题",
    "requirement": "整改要求",
    "body": "责任科室",
    "deadline": "整改期限",
    "result": "整改结果",
    "state": "状态",
    "note": "说明",
    "file": "文件",
    "indicator": "指标",
}
ITEM_ACTION_LABELS = {
    "created": "建立",
    "edit": "修改",
    "state": "状态变更",
    "evidence": "添加佐证",
    "recurs_confirmed": "确认问题在下年度再次出现",
    "recurs_rejected": "否决“问题再次出现”",
    "fixed_confirmed": "确认下年度报告显示已整改",
    "fixed_rejected": "否决“已整改”",
}
PROPOSAL_KIND_LABELS = {"recurs": "问题再次出现", "fixed": "显示已整改"}
EVIDENCE_KIND_LABELS = {"note": "说明", "file": "文件", "indicator": "指标"}
ITEM_COLUMN_LABELS = {
    "id": "编号",
    "year": "年度",
    "project": "项目",
    "source": "来源",
    "problem": "问题",
    "source_text": "原文",
    "requirement": "整改要求",
    "body": "责任科室",
    "deadline": "整改期限",
    "status": "状态",
    "result": "整改结果",
    "confirmed_by": "确认人",
    "confirmed_at": "确认时间",
    "created_by": "建立人",
    "proposals": "待确认跟踪",
    "key": "分组",
    "open": "未完成",
    "overdue": "逾期",
    "closed": "已整改",
    "total": "合计",
    "at": "时间",
    "actor": "操作人",
    "action": "操作",
    "field": "字段",
    "old_value": "原值",
    "new_value": "新值",
    "kind": "类型",
    "note": "说明",
    "file_name": "文件名",
    "size": "大小（字节）",
    "indicator_label": "指标",
    "added_by": "添加人",
    "added_at": "添加时间",
    "item_id": "事项编号",
    "item_year": "问题年度",
    "later_year": "跟踪年度",
    "message": "跟踪发现",
    "evidence": "下年度原文",
    "score": "文字相似度",
}
NO_BODY = "未指定"
