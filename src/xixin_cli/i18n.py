"""UI strings and messages in Chinese (zh, the default) and English (en)."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

#: Status labels; the codes (todo, done…) stay untranslated in files and JSON.
STATUS_LABELS = {
    "todo": ("未开始", "to do"),
    "doing": ("进行中", "in progress"),
    "blocked": ("受阻", "blocked"),
    "done": ("已完成", "done"),
    "closed": ("已销号", "closed"),
    "dropped": ("不适用", "dropped"),
}

#: Words accepted for each status on the command line, besides the code itself.
STATUS_WORDS = {
    "todo": ("未开始", "待办", "to-do"),
    "doing": ("进行中", "开始", "start", "started", "in-progress"),
    "blocked": ("受阻", "阻塞", "block"),
    "done": ("已完成", "完成", "办结", "finish", "finished"),
    "closed": ("已销号", "销号", "close"),
    "dropped": ("不适用", "取消", "drop", "n/a"),
}

KIND_LABELS = {
    "task": ("任务", "task"),
    "action": ("行动", "action"),
    "step": ("步骤", "step"),
    "measure": ("保障措施", "measure"),
}

BASIS_LABELS = {
    "stated": ("原文规定", "stated in the text"),
    "phase": ("阶段截止", "end of phase"),
    "standing": ("常态化，无单一截止日", "standing, no single deadline"),
}

_M: dict[str, tuple[str, str]] = {
    # -- files in general
    "file.not_utf8": (
        "不是 UTF-8 编码的文本；请用记事本“另存为”并选择 UTF-8 编码",
        "not UTF-8 text; save it again with UTF-8 encoding",
    ),
    "file.gb18030": (
        "文件是 GBK/GB18030 编码，不是 UTF-8；请用记事本“另存为”并选择 UTF-8 编码",
        "the file is GBK/GB18030, not UTF-8; save it again with UTF-8 encoding",
    ),
    # -- plan file
    "plan.invalid": ("计划文件有误", "the plan file is invalid"),
    "plan.not_found": (
        "找不到计划文件；用 --plan 指定路径，或设置环境变量 XIXIN_PLAN",
        "plan file not found; give its path with --plan or set XIXIN_PLAN",
    ),
    "plan.is_dir": (
        "这是一个文件夹，不是计划文件；请指定其中的 .yaml 文件",
        "this is a folder, not a plan file; name the .yaml file inside it",
    ),
    "plan.no_permission": (
        "没有读取权限；请检查文件权限",
        "permission denied; check the file's permissions",
    ),
    "plan.unreadable": ("无法读取（{reason}）", "cannot be read ({reason})"),
    "plan.not_yaml": (
        "不是有效的 YAML：{reason}；请检查这一行的缩进和冒号",
        "not valid YAML: {reason}; check the indentation and colons on this line",
    ),
    "plan.empty": (
        "文件是空的；计划文件至少要有 format、document、offices、phases、items",
        "the file is empty; a plan needs format, document, offices, phases and items",
    ),
    "plan.too_large": (
        "文件过大或别名嵌套过深（超过 {limit} 个节点）",
        "too large or too deeply aliased (more than {limit} nodes)",
    ),
    "plan.too_deep": (
        "嵌套层次过深，不像计划文件；请检查括号是否配对",
        "nested too deeply to be a plan; check that brackets are paired",
    ),
    "plan.want_mapping": (
        "这里应是“键: 值”的映射",
        "expected a mapping of keys to values here",
    ),
    "plan.want_keyed": (
        "这里应是以键开头的非空映射（如 dangqun: {{name: 乡党群办}}）",
        "expected a non-empty mapping keyed by name (like dangqun: {{name: ...}})",
    ),
    "plan.want_items": (
        "items 应是非空列表，每项以“- id: ...”开头",
        "items must be a non-empty list, each entry starting with '- id: ...'",
    ),
    "plan.want_text": ("这里应是一段文字", "expected a piece of text here"),
    "plan.want_list": ("这里应是列表，如 [a, b]", "expected a list here, like [a, b]"),
    "plan.want_bool": (
        "“{value}”不是 true 或 false",
        "'{value}' is not true or false",
    ),
    "plan.empty_text": ("不能为空", "must not be empty"),
    "plan.empty_list": ("列表不能为空", "the list must not be empty"),
    "plan.unknown_key": (
        "未知的键{hint}；可用的键：{allowed}",
        "unknown key{hint}; allowed keys: {allowed}",
    ),
    "plan.missing_key": ("缺少必填项；请补上", "required key is missing; add it"),
    "plan.duplicate_key": (
        "键重复；删去其中一个",
        "duplicate key; remove one of them",
    ),
    "plan.duplicate_name": (
        "名称“{value}”与 {other} 重复；每个单位只列一次",
        "name '{value}' repeats {other}; list each unit once",
    ),
    "plan.bad_format": (
        "格式版本 {found} 不受支持（本版本读取 format: {supported}）；"
        "请升级 xixin 或改用对应版本的计划文件",
        "format {found} is not supported (this version reads format: {supported}); "
        "upgrade xixin or use a plan of that format",
    ),
    "plan.bad_date": (
        "“{value}”不是有效日期；请写成 2022-11-30 或 2022年11月30日",
        "'{value}' is not a valid date; write it as 2022-11-30 or 2022年11月30日",
    ),
    "plan.bad_choice": (
        "“{value}”不是可选值；可选：{allowed}",
        "'{value}' is not allowed; choose one of: {allowed}",
    ),
    "plan.bad_id": (
        "编号“{value}”含空白；请按原文编号写，如 4.3.2",
        "id '{value}' contains white space; follow the document's numbering, like 4.3.2",
    ),
    "plan.duplicate_id": (
        "编号重复（第 {first_line} 行已有）；每个编号只能用一次",
        "duplicate id (already used on line {first_line}); each id is used once",
    ),
    "plan.unknown_parent": (
        "上级“{value}”不存在{hint}；上级必须在本项之前列出",
        "parent '{value}' does not exist{hint}; a parent must be listed before its children",
    ),
    "plan.unknown_office": (
        "未知的责任单位“{value}”{hint}；请先在 offices 中列出，或改用已有的键：{allowed}",
        "unknown office '{value}'{hint}; list it under offices first, or use one of: {allowed}",
    ),
    "plan.unknown_phase": (
        "未知的阶段“{value}”{hint}；可选：{allowed}",
        "unknown phase '{value}'{hint}; choose one of: {allowed}",
    ),
    "plan.end_before_start": (
        "结束日 {end} 早于开始日 {start}",
        "end {end} is before start {start}",
    ),
    "plan.lead_not_office": (
        "牵头单位必须也列在 offices 中",
        "every lead unit must also be listed under offices",
    ),
    "plan.due_on_standing": (
        "常态化事项（due_basis: standing）不能有截止日；删去 due，或改 due_basis",
        "a standing item (due_basis: standing) has no due date; remove due or change due_basis",
    ),
    "plan.due_missing": (
        "due_basis: stated 需要写明截止日 due",
        "due_basis: stated needs a due date",
    ),
    "plan.due_text_missing": (
        "due_basis: stated 需要在 due_text 中引用原文的日期说法（如“11月30日前”）",
        "due_basis: stated needs due_text quoting the document's words (like 11月30日前)",
    ),
    "plan.phase_needed": (
        "due_basis: phase 需要指明阶段 phase",
        "due_basis: phase needs a phase",
    ),
    "plan.due_outside_phase": (
        "截止日 {due} 不在{phase}（{start} 至 {end}）之内；请核对日期或阶段",
        "due {due} is outside {phase} ({start} to {end}); check the date or the phase",
    ),
    # -- status log
    "state.is_dir": (
        "状态文件 {path} 是一个文件夹；请用 --state 指定文件",
        "status file {path} is a folder; give a file with --state",
    ),
    "state.no_permission": (
        "没有读取状态文件 {path} 的权限；请检查文件权限",
        "permission denied reading status file {path}; check its permissions",
    ),
    "state.no_permission_write": (
        "没有写入状态文件 {path} 的权限；请检查文件和文件夹权限，或用 --state 换一个位置",
        "permission denied writing status file {path}; check permissions or use --state",
    ),
    "state.unreadable": (
        "无法读取状态文件 {path}（{reason}）",
        "cannot read status file {path} ({reason})",
    ),
    "state.cannot_write": (
        "无法写入状态文件 {path}（{reason}）；未记录任何内容",
        "cannot write status file {path} ({reason}); nothing was recorded",
    ),
    "state.not_found": (
        "找不到状态文件 {path}；请检查路径",
        "status file {path} not found; check the path",
    ),
    "state.locked": (
        "状态文件 {path} 正被另一个 xixin 写入，等待超时；请稍后重试，未记录任何内容",
        "status file {path} is being written by another xixin and the wait timed out; try "
        "again. Nothing was recorded",
    ),
    "state.no_folder": (
        "状态文件 {path} 所在的文件夹 {folder} 不存在；请先建立该文件夹，或用 --state 换一个位置",
        "the folder {folder} of status file {path} does not exist; create it or use --state",
    ),
    "state.newer_version": (
        "{path}: 这条记录由更新版本的 xixin 写入（v{found}，本版本支持 v{supported}）；"
        "请升级 xixin，文件未改动",
        "{path}: record written by a newer xixin (v{found}; this version reads "
        "v{supported}); upgrade xixin. The file was not changed",
    ),
    "log.torn": (
        "最后一行不完整（可能写入时中断），已跳过；文件未改动，下次记录从新行开始",
        "the last line is incomplete (a write was cut short) and was skipped; the file was "
        "not changed and the next record starts on a new line",
    ),
    "log.bad_line": (
        "这一行不是有效的记录，已跳过；文件未改动",
        "this line is not a valid record and was skipped; the file was not changed",
    ),
    "log.bad_record": (
        "记录缺少或写错了这个字段，已跳过；文件未改动",
        "the record lacks this field or has it wrong, and was skipped; the file was not changed",
    ),
    # -- verify and doctor
    "verify.newer": (
        "这条记录由更新版本的 xixin 写入（v{found}），无法核验；请升级 xixin",
        "record written by a newer xixin (v{found}) and cannot be checked; upgrade xixin",
    ),
    "verify.duplicate": (
        "事件编号与第 {first} 行重复：同一条记录出现了两次",
        "same event id as line {first}: one record appears twice",
    ),
    "verify.unsigned": (
        "记录没有签名链字段（writer、chain、hash），无法核验",
        "the record has no chain fields (writer, chain, hash) and cannot be checked",
    ),
    "verify.edited": (
        "记录内容与其哈希不符：这一行在写入后被改动过",
        "the record does not match its hash: this line was changed after it was written",
    ),
    "verify.gap": (
        "记录人 {writer} 的上一条记录（第 {last} 行）不是本条所接续的那条：其间有记录被删除或改动",
        "writer {writer}'s previous record (line {last}) is not the one this record follows: "
        "a record in between was deleted or changed",
    ),
    "verify.reordered": (
        "本条接续的是第 {other} 行，但记录人 {writer} 此后还有记录：行的顺序被调换过",
        "this record follows line {other}, but writer {writer} wrote after that line: lines "
        "were moved",
    ),
    "verify.no_start": (
        "记录人 {writer} 在本文件中的第一条记录却接续着更早的记录：开头的记录被删除了",
        "writer {writer}'s first record here follows an earlier one: the records before it "
        "were deleted",
    ),
    "evidence.missing": (
        "{item} 的佐证材料 {file} 已不在原处",
        "evidence for {item}, {file}, is no longer there",
    ),
    "evidence.changed": (
        "{item} 的佐证材料 {file} 登记后被改动过（大小或 SHA-256 不符）",
        "evidence for {item}, {file}, changed after it was recorded (size or SHA-256 differ)",
    ),
    "verify.ok": (
        "{path}：{records} 条记录、{writers} 个记录人，核验无误",
        "{path}: {records} records from {writers} writers verified",
    ),
    "verify.failed": (
        "{path}：发现 {count} 处问题（共 {records} 条记录）",
        "{path}: {count} problems found ({records} records)",
    ),
    "doctor.orphan": (
        "编号“{item}”不在计划中（{count} 条记录）；记录保留不动，计划恢复该编号后重新生效",
        "id '{item}' is not in the plan ({count} records); they are kept and count again if "
        "the id comes back",
    ),
    "doctor.not_leaf": (
        "“{item}”在计划中是任务，进度由其下的行动汇总（{count} 条记录未计入）",
        "'{item}' is a task in the plan; its progress comes from its actions ({count} records "
        "not counted)",
    ),
    "doctor.ok": (
        "计划与状态记录均无问题：{items} 项，{records} 条记录",
        "plan and status log are in order: {items} items, {records} records",
    ),
    "orphans": (
        "状态文件中有 {count} 个编号不在计划中（{ids}）；记录已保留，详见 xixin doctor",
        "{count} ids in the status log are not in the plan ({ids}); the records are kept, "
        "see xixin doctor",
    ),
    # -- merge
    "merge.added": (
        "从 {source} 并入 {added} 条新记录（已有 {already} 条，未重复写入）",
        "{source}: {added} new records merged ({already} already present, not written again)",
    ),
    "merge.conflict": (
        "冲突 {item} {title}：{later_by} {later_at} 记为“{later}”，{earlier_by} {earlier_at} "
        "记为“{earlier}”，彼此未见对方的记录；以较晚的“{later}”为准",
        "conflict {item} {title}: {later_by} recorded '{later}' at {later_at} and "
        "{earlier_by} '{earlier}' at {earlier_at} without seeing each other's change; the "
        "later, '{later}', stands",
    ),
    # -- command line
    "usage.bad_date": (
        "{option}: “{value}”不是有效日期；请写成 2022-11-30 或 2022年11月30日",
        "{option}: '{value}' is not a valid date; write it as 2022-11-30 or 2022年11月30日",
    ),
    "usage.bad_window": (
        "--within: “{value}”无法识别；请写成 7d、2w、30 或 1m",
        "--within: '{value}' not understood; write it as 7d, 2w, 30 or 1m",
    ),
    "usage.bad_status": (
        "“{value}”不是状态；可选：{allowed}",
        "'{value}' is not a status; choose one of: {allowed}",
    ),
    "usage.bad_lang": (
        "--lang: “{value}”不受支持；可选：zh、en",
        "--lang: '{value}' is not supported; choose zh or en",
    ),
    "usage.unknown_id": (
        "编号“{value}”不在计划中{hint}；用 xixin list 查看所有编号",
        "id '{value}' is not in the plan{hint}; see all ids with xixin list",
    ),
    "usage.unknown_office": (
        "责任单位“{value}”不在计划中{hint}；可选：{allowed}",
        "office '{value}' is not in the plan{hint}; choose one of: {allowed}",
    ),
    "usage.unknown_phase": (
        "阶段“{value}”不在计划中{hint}；可选：{allowed}",
        "phase '{value}' is not in the plan{hint}; choose one of: {allowed}",
    ),
    "usage.not_leaf": (
        "{value} 是任务，进度由其下的行动汇总；请逐项记录：{children}",
        "{value} is a task whose progress comes from its actions; record these: {children}",
    ),
    "usage.bad_note": (
        "备注不能含控制字符；换行请写成空格或分号",
        "a note cannot contain control characters; write line breaks as spaces or semicolons",
    ),
    "usage.note_too_long": (
        "备注过长（{length} 字，最多 {limit} 字）；长材料请另存文件",
        "the note is too long ({length} characters, at most {limit}); keep long material in a file",
    ),
    "usage.bad_group_by": (
        "--group-by: “{value}”无法识别；可选：task（按任务）、phase（按阶段）",
        "--group-by: '{value}' not understood; choose task or phase",
    ),
    "usage.empty_id": (
        "编号不能为空；用 xixin list 查看所有编号",
        "the id must not be empty; see xixin list",
    ),
    "usage.many_states": (
        "给了 {count} 个状态文件；记录变更时只能指定一个 --state",
        "{count} status files were given; a change is recorded into one --state",
    ),
    "usage.bad_split_by": (
        "--split-by: “{value}”无法识别；目前可按 office（责任单位）拆分",
        "--split-by: '{value}' not understood; office is the one split there is",
    ),
    "usage.split_needs_folder": (
        "--split-by 需要用 -o 指定一个文件夹",
        "--split-by needs a folder given with -o",
    ),
    "usage.not_reviewable": (
        "{value} 现为“{status}”：只有已完成的事项可以销号，已完成或已销号的事项可以退回",
        "{value} is '{status}': only a done item can be closed, and only a done or closed one "
        "returned",
    ),
    "usage.reason_needed": ("请用 --reason 写明理由", "give the reason with --reason"),
    "usage.standing_no_due": (
        "{value} 是常态化事项，没有截止日，无需延期",
        "{value} is standing work with no due date; there is nothing to extend",
    ),
    "usage.extend_earlier": (
        "--to {value} 不晚于当前截止日 {due}；延期须推后截止日",
        "--to {value} is not after the current due date {due}; an extension moves it later",
    ),
    "usage.evidence_missing": (
        "找不到佐证材料文件 {path}；请检查路径，未记录任何内容",
        "evidence file {path} not found; check the path. Nothing was recorded",
    ),
    "usage.evidence_not_file": (
        "{path} 不是文件；请给出具体的文件",
        "{path} is not a file; name the file itself",
    ),
    "usage.evidence_unreadable": (
        "无法读取佐证材料 {path}（{reason}）；未记录任何内容",
        "cannot read evidence file {path} ({reason}); nothing was recorded",
    ),
    "usage.bad_remind": ("--remind: {value} 不能为负数", "--remind: {value} cannot be negative"),
    "usage.docx_needs_extra": (
        '读取 .docx 需要 python-docx：pip install "xixin[docx]"；或先在 Word/WPS 中另存为纯文本',
        'reading .docx needs python-docx: pip install "xixin[docx]"; or save the document as '
        "plain text first",
    ),
    "usage.docx_unreadable": (
        "{path} 不是可读取的 .docx 文件；请在 Word/WPS 中另存为 .docx 或纯文本",
        "{path} is not a readable .docx; save it again as .docx or as plain text",
    ),
    "usage.empty_by": ("--by 不能为空", "--by must not be empty"),
    "usage.nothing_to_undo": ("没有可撤销的记录", "nothing to undo"),
    "output.stdout": (
        "无法写出结果（{reason}）；请检查磁盘空间或输出重定向到的位置",
        "cannot write the output ({reason}); check the disk space or where it is redirected",
    ),
    "output.cannot_write": (
        "无法写入 {path}（{reason}）；原文件未改动",
        "cannot write {path} ({reason}); any existing file was left as it was",
    ),
    "output.no_folder": (
        "输出文件夹 {folder} 不存在；请先建立",
        "the output folder {folder} does not exist; create it first",
    ),
    "output.no_cjk_font": (
        "找不到中文字体，无法生成 PNG；请改用 --image 看板.svg（浏览器和微信都能打开），"
        "或设置环境变量 XIXIN_FONT 指向一个中文字体文件",
        "no Chinese font found for the PNG; use --image board.svg instead, or point XIXIN_FONT "
        "at a font file with Chinese glyphs",
    ),
    "output.bad_font": (
        "字体文件 {path} 无法读取；请设置 XIXIN_FONT 指向一个中文字体文件",
        "the font file {path} cannot be read; point XIXIN_FONT at a font with Chinese glyphs",
    ),
    "output.image_format": (
        "{path}：不支持这种图片格式；可用：{formats}",
        "{path}: unsupported picture format; use one of: {formats}",
    ),
    "output.exists": (
        "{path} 已存在；要覆盖请加 --force，或换一个文件名",
        "{path} exists; add --force to replace it, or choose another name",
    ),
    "output.is_dir": (
        "{path} 是一个文件夹；请给出文件名",
        "{path} is a folder; give a file name",
    ),
    # -- labels and notices
    "warning": ("警告", "warning"),
    "error": ("错误", "error"),
    "did_you_mean": ("（是不是“{value}”？）", " (did you mean '{value}'?)"),
    "recorded": (
        "已记录：{item} {title}：{previous} → {status}",
        "recorded: {item} {title}: {previous} → {status}",
    ),
    "unchanged": (
        "{item} 已是“{status}”，未记录；如需补充说明请加 --note",
        "{item} is already '{status}'; nothing recorded (add --note to record a note)",
    ),
    "undone": (
        "已撤销：{item} {title}：{previous} → {status}（新增一条记录，原记录保留）",
        "undone: {item} {title}: {previous} → {status} (a new record; the old one is kept)",
    ),
    "written": ("已写入 {path}", "written to {path}"),
    "extended": (
        "已记录延期：{item} 截止日 {before} → {after}",
        "extension recorded: {item} due {before} → {after}",
    ),
    "attached": (
        "已登记佐证材料：{item} {path}（{size} 字节）",
        "evidence recorded: {item} {path} ({size} bytes)",
    ),
    "col.evidence": ("佐证材料", "evidence"),
    "report.weekly_title": (
        "{number} 创建工作周报（{start} 至 {end}）",
        "{number} weekly report ({start} to {end})",
    ),
    "report.changes": ("一、本周进展", "1. This week's changes"),
    "report.no_changes": ("本周没有记录变更。", "No changes were recorded this week."),
    "report.overdue": ("二、逾期事项", "2. Overdue"),
    "report.next_week": ("三、下周到期（{start} 至 {end}）", "3. Due next week ({start} to {end})"),
    "report.by_office": ("各单位完成情况", "Completion by office"),
    "report.office_count": ("{office}（{n} 项）", "{office} ({n})"),
    "report.col_office": ("单位", "office"),
    "report.col_done": ("已完成", "done"),
    "report.col_counted": ("应完成", "to do"),
    "report.col_rate": ("完成率", "rate"),
    "report.col_late": ("逾期", "overdue"),
    "report.total": ("合计", "all"),
    "report.self_check_title": (
        "{number} 创建工作自查报告（截至 {date}）",
        "{number} self-check report (as of {date})",
    ),
    "report.overall": (
        "总体完成 {done}/{counted} 项，完成率 {rate}（不适用的事项不计）。",
        "Overall {done} of {counted} done, {rate} (items marked not applicable do not count).",
    ),
    "report.items": ("逐项情况", "Item by item"),
    "report.note": ("备注：{note}", "note: {note}"),
    "report.evidence": ("佐证材料 {n} 份", "{n} evidence files"),
    "report.extended": ("已批准延期至 {due}（{reason}）", "extended to {due} ({reason})"),
    "report.missing": ("缺：{what}", "missing: {what}"),
    "report.missing_late": ("已于 {due} 逾期，尚未完成", "overdue since {due}, not done"),
    "report.missing_open": ("尚未完成", "not done yet"),
    "report.missing_evidence": ("佐证材料", "evidence"),
    "report.problems": ("存在的问题", "Open problems"),
    "report.problem_late": ("逾期未完成 {n} 项：{ids}", "{n} overdue and not done: {ids}"),
    "report.problem_bare": (
        "已完成但无佐证材料 {n} 项：{ids}",
        "{n} done without evidence: {ids}",
    ),
    "usage.bad_format": (
        "--format: “{value}”无法识别；可选：md（Markdown）、text（纯文本）",
        "--format: '{value}' not understood; choose md or text",
    ),
    "import.unplaced": (
        "以下 {n} 处未能完全归入计划，请核对：",
        "{n} places could not be fully placed in the plan; please check:",
    ),
    "import.line": ("  第 {line} 行［{reason}］：{text}", "  line {line} [{reason}]: {text}"),
    "import.no_unit": ("未写明责任单位", "no responsible unit named"),
    "import.table": ("表格行，指标表不是任务，未导入", "a table row: indicators are not tasks"),
    "import.outside": ("不在任何编号条目之内", "outside any numbered item"),
    "import.no_window": ("阶段没有可识别的时间段", "a phase without a recognisable window"),
    "import.done": (
        "已导入 {items} 项（{encoding} 文本）；请逐项核对，尤其是带说明（note）的事项",
        "{items} items imported ({encoding} text); check each, especially those with a note",
    ),
    "import.unread_tag": (
        "像责任单位标注，但未能读出单位，请核对",
        "reads like a responsible-unit tag but no unit could be read; please check",
    ),
    "import.unread_units": (
        "责任单位一栏不是单位名称，未导入",
        "the units cell is not a list of unit names; not imported",
    ),
    "import.skipped_table": (
        "  第 {index} 个表格（{where}）不是任务表，未导入：{first}",
        "  table {index} ({where}) is not a task table; not imported: {first}",
    ),
    "import.table_after": ("第 {line} 段之后", "after paragraph {line}"),
    "import.table_sheet": ("工作表“{sheet}”", "sheet '{sheet}'"),
    "import.skipped_tables": (
        "以下 {n} 个表格未导入（找不到“工作任务/责任单位/完成时限”等表头）：",
        "{n} tables were not imported (no header such as 工作任务/责任单位/完成时限):",
    ),
    "import.nothing_found": (
        "未读出任何事项（共 {lines} 行文字、{numbered} 个编号条目、{tables} 个表格、"
        "{tags} 处责任单位、{dates} 处期限），未写出计划文件；请确认这是实施方案或任务分解表",
        "no item could be read ({lines} lines of text, {numbered} numbered pieces, "
        "{tables} tables, {tags} unit tags, {dates} deadlines), so no plan file was written; "
        "is it an implementation plan or a task table?",
    ),
    "import.notes": (
        "以下 {n} 个章节不布置工作（指导思想、原则、目标等），作为说明列在计划文件开头：",
        "{n} sections assign no work (guiding ideas, principles, aims); listed as notes at the "
        "top of the plan file:",
    ),
    "import.note_line": ("  第 {line} 行：{title}", "  line {line}: {title}"),
    "import.done_file": (
        "已导入 {items} 项（{encoding}）；请逐项核对，尤其是带说明（note）的事项",
        "{items} items imported ({encoding}); check each, especially those with a note",
    ),
    "import.not_found": (
        "找不到要导入的文件；请检查路径",
        "the file to import was not found; check the path",
    ),
    "import.is_dir": (
        "这是文件夹，不是文件；请给出方案文件",
        "a folder, not a file; give the document",
    ),
    "import.no_permission": (
        "没有读取权限；请检查文件权限",
        "no permission to read it; check the file's permissions",
    ),
    "import.unreadable": ("无法读取（{reason}）", "cannot be read ({reason})"),
    "import.unsupported": (
        "{path}：不能读取 {suffix} 文件；请在 Word/WPS 中另存为 .docx、.xlsx 或纯文本（.txt）",
        "{path}: {suffix} files cannot be read; save it as .docx, .xlsx or plain text (.txt)",
    ),
    "import.binary": (
        "{path} 不是文本文件；请另存为纯文本（.txt）、.docx 或 .xlsx",
        "{path} is not a text file; save it as plain text (.txt), .docx or .xlsx",
    ),
    "import.xlsx_needs_extra": (
        '读取 .xlsx 需要 openpyxl：pip install "xixin[xlsx]"；或先另存为纯文本',
        'reading .xlsx needs openpyxl: pip install "xixin[xlsx]"; or save it as text first',
    ),
    "import.xls_needs_extra": (
        '读取 .xls 需要 python-calamine：pip install "xixin[xls]"；或先在 Excel/WPS 中另存为 .xlsx',
        'reading .xls needs python-calamine: pip install "xixin[xls]"; or save it as .xlsx',
    ),
    "import.sheet_unreadable": (
        "{path} 不是可读取的表格文件；请在 Excel/WPS 中另存为 .xlsx",
        "{path} is not a readable spreadsheet; save it again as .xlsx",
    ),
    "board.units": ("督办看板·按责任单位", "Board by office"),
    "board.phases": ("按阶段", "By phase"),
    "board.progress": ("进度（已办结/总数）", "progress (closed/all)"),
    "board.worst": ("最需关注", "needs a call"),
    "col.workdays": ("工作日", "work days"),
    "workdays_estimated": (
        "≈ 该年份不在官方节假日安排中，按周末估算工作日",
        "≈ the official holiday calendar does not cover that year; weekends were used",
    ),
    "history.extend": ("延期至 {due}", "extended to {due}"),
    "history.evidence": ("登记材料 {name}", "evidence {name}"),
    "plan_caption": ("计划：{number}｜{path}", "plan: {number} | {path}"),
    "as_of": ("截至 {date}", "as of {date}"),
    "col.id": ("编号", "id"),
    "col.title": ("事项", "item"),
    "col.offices": ("责任单位", "offices"),
    "col.due": ("截止", "due"),
    "col.status": ("状态", "status"),
    "col.overdue": ("逾期", "overdue"),
    "col.left": ("剩余", "left"),
    "col.at": ("时间", "time"),
    "col.by": ("记录人", "by"),
    "col.change": ("变更", "change"),
    "col.note": ("备注", "note"),
    "col.office": ("单位", "office"),
    "col.red": ("红灯·逾期", "red·overdue"),
    "col.yellow": ("黄灯·本周到期", "yellow·due this week"),
    "col.green": ("绿灯·正常", "green·on track"),
    "col.closed": ("已办结", "closed"),
    "days": ("{n} 天", "{n} d"),
    "days_late": ("逾期 {n} 天", "{n} d late"),
    "col.when": ("逾期/剩余", "late/left"),
    "title.attention": ("逾期与本周到期事项", "Overdue and due this week"),
    "digest.counts": (
        "逾期 {red} 项，本周到期 {yellow} 项",
        "{red} overdue, {yellow} due this week",
    ),
    "digest.late": ("{due} 到期，已逾期 {n} 天", "due {due}, {n} d overdue"),
    "digest.today": ("{due} 今天到期", "due today, {due}"),
    "digest.soon": ("{due} 到期，还剩 {n} 天", "due {due}, {n} d left"),
    "digest.items": ("事项：", "Items:"),
    "due_today": ("今天到期", "due today"),
    "standing": ("常态化", "standing"),
    "extended_mark": ("（延）", " (ext.)"),
    "extension_line": (
        "原定 {original}，{at} 经 {by} 批准延期：{reason}",
        "originally {original}; extended on {at} by {by}: {reason}",
    ),
    "none": ("无", "none"),
    "title.list": ("清单", "Checklist"),
    "title.overdue": ("逾期事项", "Overdue"),
    "title.upcoming": ("即将到期（{start} 至 {end}）", "Due soon ({start} to {end})"),
    "title.phases": ("阶段节点", "Phase dates"),
    "title.history": ("变更记录", "History"),
    "title.remind": ("督办周报提醒", "Weekly reminder"),
    "phase.start": ("{name}开始", "{name} starts"),
    "phase.end": ("{name}结束", "{name} ends"),
    "left_out": (
        "……另有 {n} 项未显示；用 --all 查看全部，或 --limit N",
        "… {n} more not shown; use --all to see them, or --limit N",
    ),
    "nothing_overdue": ("没有逾期事项。", "Nothing is overdue."),
    "nothing_upcoming": ("这段时间没有到期事项。", "Nothing falls due in this window."),
    "no_history": ("还没有任何记录。", "No changes recorded yet."),
    "no_items": ("没有符合条件的事项。", "No items match."),
    "undo_of": ("撤销", "undo"),
    "summary": (
        "{date}：逾期 {red} 项，7 天内到期 {yellow} 项，"
        "进行中/未开始 {open} 项，已办结 {closed} 项。",
        "{date}: {red} overdue, {yellow} due within 7 days, {open} open, {closed} closed.",
    ),
    "progress": ("{closed}/{total} 项", "{closed}/{total}"),
    "field.text": ("原文", "text"),
    "field.kind": ("类别", "kind"),
    "field.parent": ("上级", "parent"),
    "field.source": ("出处", "source"),
    "field.offices": ("责任单位", "offices"),
    "field.offices_text": ("单位依据", "offices from"),
    "field.phase": ("阶段", "phase"),
    "field.due": ("截止日", "due"),
    "field.due_basis": ("日期依据", "due basis"),
    "field.status": ("状态", "status"),
    "field.children": ("下属事项", "items under it"),
    "field.note": ("说明", "note"),
    "field.extension": ("延期", "extension"),
    "field.evidence": ("佐证材料", "evidence"),
    "field.last": ("最近记录", "last change"),
    "md.title": ("{title} 任务清单", "{title} checklist"),
    "md.generated": (
        "{number}｜截至 {date}｜共 {total} 项，已办结 {closed} 项",
        "{number} | as of {date} | {total} items, {closed} closed",
    ),
    "md.office": ("责任单位：{office}", "Office: {office}"),
    "md.tasks": ("主要任务", "Main tasks"),
    "md.steps": ("实施步骤", "Implementation steps"),
    "md.measures": ("保障措施", "Safeguard measures"),
    "md.latest": ("最新备注", "latest note"),
    "md.no_phase": ("不分阶段", "No phase"),
    "md.by_phase": ("按阶段", "By phase"),
    "csv.id": ("编号", "id"),
    "csv.parent": ("上级", "parent"),
    "csv.title": ("事项", "item"),
    "csv.offices": ("责任单位", "offices"),
    "csv.phase": ("阶段", "phase"),
    "csv.due": ("截止日", "due"),
    "csv.original_due": ("原定截止日", "original due"),
    "csv.basis": ("日期依据", "due basis"),
    "csv.status": ("状态", "status"),
    "csv.status_code": ("状态代码", "status code"),
    "csv.note": ("最新备注", "latest note"),
    "csv.evidence": ("佐证材料数", "evidence files"),
    "csv.days_overdue": ("逾期天数", "days overdue"),
    "csv.source": ("出处", "source"),
}


def message(code: str, lang: str, **params: Any) -> str:
    """The message for `code` in `lang`, with its values filled in.

    A `hint` value (a list of close matches) becomes a "did you mean" phrase.
    """
    zh, en = _M[code]
    template = en if lang == "en" else zh
    if "hint" in params:
        hint = params["hint"]
        params = {**params, "hint": message("did_you_mean", lang, value=hint[0]) if hint else ""}
    return template.format(**params)


def status_label(code: str, lang: str) -> str:
    """The translated label of a status code."""
    zh, en = STATUS_LABELS[code]
    return en if lang == "en" else zh


def label(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """The translated label of a code from one of the tables above."""
    zh, en = table[code]
    return en if lang == "en" else zh
