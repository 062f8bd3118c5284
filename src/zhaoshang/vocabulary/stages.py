"""Stages: their keys in order, their Chinese words, the JSON key of each stage's date, and the words
real ledgers use for them (洽谈中 → negotiating, 在建 → started …)."""

from __future__ import annotations

from zhaoshang.vocabulary.text import normalize_text

STAGES = ("planned", "lead", "negotiating", "signed", "ready", "started", "producing")
TERMINATED = "terminated"
ALL_STAGES = (*STAGES, TERMINATED)
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
STAGE_ZH = {
    "planned": "谋划",
    "lead": "线索",
    "negotiating": "在谈",
    "signed": "签约",
    "ready": "具备开工条件",
    "started": "开工",
    "producing": "投产",
    "terminated": "终止",
}
# The stages whose date a report counts (新谋划, 新增线索, 新签约, 新开工或具备, 新投产): one entered without
# its date counts in no window, and add-project and the import say so. 在谈 is counted by no report.
COUNTED_STAGES = frozenset(s for s in STAGES if s != "negotiating")
# The JSON key of each stage's date.
STAGE_DATE_KEY = {
    "planned": "planned_on",
    "lead": "lead_on",
    "negotiating": "negotiating_on",
    "signed": "signed_on",
    "ready": "ready_on",
    "started": "started_on",
    "producing": "produced_on",
    "terminated": "terminated_on",
}
_STAGE_WORDS: dict[str, str] = {}
for _stage, _words in {
    "planned": "谋划 谋划中 谋划项目 策划 策划中 储备 储备项目",
    "lead": "线索 项目线索 信息 对接 对接中 接洽 接洽中 初步接洽 初步对接 跟踪 跟踪对接 考察 考察中",
    "negotiating": "在谈 洽谈 洽谈中 正在洽谈 在洽谈 商谈 商谈中 谈判 谈判中 拟签约 待签约 意向 意向签约 "
    "签订意向 已签意向 已签订意向协议 在谈项目 深度洽谈 深入洽谈",
    "signed": "签约 已签约 签约项目 签订协议 已签订协议 已签协议 签约落地 前期手续办理中 手续办理中 "
    "办理前期手续 前期 前期工作 前期准备 已注册 注册落地 待开工 拟开工 签约未开工 已签约未开工 签约待开工",
    "ready": "具备开工条件 已具备开工条件 具备开工 开工条件具备",
    "started": "开工 已开工 开工建设 在建 建设中 正在建设 施工中 在施工 续建 新开工 主体施工 主体完工 设备安装",
    "producing": "投产 已投产 试生产 试投产 竣工投产 建成投产 部分投产 达产 已达产 运营 已运营 投入运营",
    "terminated": "终止 已终止 取消 已取消 放弃 停止 中止 退出 撤销",
}.items():
    for _word in _words.split():
        _STAGE_WORDS[_word] = _stage


def builtin_stage_words() -> dict[str, str]:
    return dict(_STAGE_WORDS)


def parse_stage(value: object, extra: dict[str, str] | None = None) -> str:
    """Map a stage word ("洽谈中", "已签约", "started") to its key; raise naming an unknown word."""
    text = normalize_text(str(value if value is not None else "")).rstrip("。.;；")
    if not text:
        raise ValueError("没有填写项目阶段")
    key = text.lower()
    if key in ALL_STAGES:
        return key
    if extra and text in extra:
        return extra[text]
    if text in _STAGE_WORDS:
        return _STAGE_WORDS[text]
    raise ValueError(f"阶段“{value}”无法对应到项目阶段，可用：{'、'.join(STAGE_ZH.values())}；"
                     "或用 zs stages map 增加对应")


def stage_word(text: str, extra: dict[str, str] | None = None) -> str | None:
    """The stage a whole cell names, or None when the cell is prose (e.g. a progress note)."""
    try:
        return parse_stage(text, extra)
    except ValueError:
        return None


# Stages at which a project has signed: the joint review (联审) gate stands before them.
SIGNED_OR_LATER = frozenset(s for s in STAGES if STAGE_RANK[s] >= STAGE_RANK["signed"])
