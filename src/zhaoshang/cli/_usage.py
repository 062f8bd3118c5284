"""The command line's own words: usage errors and help pages in the product's bilingual voice.

Click speaks English ("Error: No such command 'lst'.", four lines); zs says it in one line, Chinese
first, with what to type instead and where to look. Every help page ends with its example: the
"例 example:" paragraph of a command's or group's help moves after the options, and -h/--help says
what it does in both languages. Only Typer (and its Click) is imported here: `zs --help` stays light.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from typer import _click

EXAMPLE = "例 example:"
HELP_OPTION_TEXT = "显示本帮助 show this help."
HELP_NAMES = ["-h", "--help"]


# --------------------------------------------------------------------------- help pages


def finish(command: Any, name: str) -> Any:
    """Give `command` and every command under it the zs help page: the example last, the help option
    bilingual. Idempotent; returns the command."""
    if getattr(command, "_zs_finished", False):
        return command
    command._zs_finished = True
    help_text = command.help or ""
    if EXAMPLE in help_text and not command.epilog:
        body, _, example = help_text.partition(EXAMPLE)
        command.help = body.rstrip() or None
        command.epilog = f"\b\n{EXAMPLE} {' '.join(example.split())}"  # \b: kept on one line to copy
    option = command.get_help_option(_click.Context(command, info_name=name, help_option_names=HELP_NAMES))
    if option is not None:
        option.help = HELP_OPTION_TEXT
    for sub_name, sub in getattr(command, "commands", {}).items():
        finish(sub, sub_name)
    return command


def example(command: Any) -> str | None:
    """A command's example, as its help page ends with it."""
    epilog = (getattr(command, "epilog", None) or "").removeprefix("\b\n")
    return epilog if epilog.startswith(EXAMPLE) else None


# --------------------------------------------------------------------------- usage errors

_NO_COMMAND = re.compile(r"No such command '(?P<name>.*?)'")
_EXTRA = re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)")
_NEEDS_VALUE = re.compile(r"Option '(?P<opt>[^']+)' requires (an argument|\d+ arguments)")
_NO_VALUE = re.compile(r"Option '(?P<opt>[^']+)' does not take a value")
_NOT_ONE_OF = re.compile(r"'(?P<value>.*?)' is not one of (?P<choices>.*?)\.?$")
_INTEGER = re.compile(r"valid integer|is not a valid integer")


def message(exc: Any) -> str:
    """One line for a Click usage error: what is wrong (Chinese, then English), a suggestion, where
    to look."""
    ctx = exc.ctx
    path = ctx.command_path if ctx is not None else "zs"
    text = str(getattr(exc, "message", "") or exc.format_message())
    what, suggestion = _describe(exc, ctx, text)
    parts = [f"错误：{what}"]
    if suggestion:
        parts.append(suggestion)
    parts.append(f"用 {path} -h 查看用法 see {path} -h.")
    return " ".join(parts)


def _describe(exc: Any, ctx: Any, text: str) -> tuple[str, str | None]:
    if isinstance(exc, _click.exceptions.NoSuchOption):
        options = _options(ctx) or list(exc.possibilities or [])
        close = difflib.get_close_matches(exc.option_name, options, n=3, cutoff=0.75)
        hint = f"是不是 {' 或 '.join(close)}？ did you mean {', '.join(close)}?" if close else None
        return f"没有选项 {exc.option_name}（no such option）。", hint
    if isinstance(exc, _click.exceptions.MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            name = (param.name or "").upper()
            what = f"缺少参数 {name}（missing argument）。"
        else:
            name = param.opts[0] if param is not None and param.opts else "?"
            what = f"缺少选项 {name}（missing option）。"
        shown = example(ctx.command) if ctx is not None else None
        return what, shown
    if isinstance(exc, _click.exceptions.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else (
            exc.param.get_error_hint() if exc.param is not None else "")
        hint = hint.replace("'", "")
        return f"{hint} 的值无效（invalid value）：{_value_problem(exc.message)}", None
    found = _NO_COMMAND.search(text)
    if found:
        name = found["name"]
        commands = list(ctx.command.list_commands(ctx)) if ctx is not None else []
        close = difflib.get_close_matches(name, commands, n=2, cutoff=0.7)
        hint = f"是不是 {' 或 '.join(close)}？ did you mean {', '.join(close)}?" if close else None
        return f"没有命令“{name}”（no such command）。", hint
    found = _EXTRA.search(text)
    if found:
        return f"多余的参数：{found['args']}（unexpected extra argument）。", None
    found = _NEEDS_VALUE.search(text)
    if found:
        return f"选项 {found['opt']} 需要一个值（requires a value）。", None
    found = _NO_VALUE.search(text)
    if found:
        return f"选项 {found['opt']} 不带值（takes no value）。", None
    return f"用法不对（usage）：{text}", None


def _value_problem(text: str) -> str:
    found = _NOT_ONE_OF.search(text)
    if found:
        choices = "、".join(c.strip().strip("'") for c in found["choices"].split(","))
        return f"“{found['value']}”不在可选值中（not one of）：{choices}。"
    if _INTEGER.search(text):
        return "需要整数（an integer）。"
    return text


def _options(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    return [opt for param in ctx.command.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)
            if opt.startswith("-")]
