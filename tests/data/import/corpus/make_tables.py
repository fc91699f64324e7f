"""Rebuild the corpus's Word and Excel documents from the published tables' text.

The search tool reaches only the text of published pages, never their attachments, so the
two table-shaped documents of this corpus are the published tables re-typeset: every row,
cell and word below is copied from the page named beside it (see SOURCES.md); only the
file format is ours. Merged cells are merged where the published table merges them.

    python make_tables.py        # writes 06-….docx and 07-….xlsx beside this file
"""
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent

# 06 — http://www.xiangshan.gov.cn/art/2024/8/1/art_1229682896_4417827.html
SIZHOUTOU_TITLE = "泗洲头镇2024年度重点工作计划二季度执行情况"
SIZHOUTOU_HEAD = ["序号", "重点工作", "责任领导", "责任科室", "攻坚目标任务", "工作任务安排", "第二季度完成情况"]
SIZHOUTOU_ROWS = [
    ["1", "白仙山水库工程政策处理", "欧乾震", "白仙山水库工程政策处理工作领导小组",
     "完成项目政策处理工作,推进大坝、溢洪道、引水隧洞及配套设施建设。",
     "推进坟墓迁移工作。", "该工程库区内坟墓迁移进度达60%。"],
    ["2", "现代化美丽城镇", "吴宇凡", "乡村振兴办",
     "成功创建首批浙江省美丽城镇。",
     "按照时间节点开展项目建设。", "本年度总投资6000万元的19个项目完成投资3000万元。"],
]

# 07 — http://wenshang.gov.cn/art/2023/11/29/art_71075_2765607.html?xxgkhide=1
WENSHANG_HEAD = ["序号", "项目名称", "项目内容", "当前进展情况", "进度评价", "主办单位"]
WENSHANG_GROUP = ("1", "农村人居环境整治提升工程", "县农村人居环境整治工作专班")
WENSHANG_ROWS = [  # 项目内容, 当前进展情况, 进度评价
    ("推广“信用+”人居环境治理新模式,实行网格化管理,试点村达到100个。",
     "“信用+”人居环境治理试点村达到100个;", "已完成"),
    ("新增国家卫生乡镇2个、省级美丽乡村3个。",
     "白石镇、杨店镇验收材料已准备完毕,正制作永久性宣传标语,完善各项制度;3个省级美丽乡村已建设完成,已上报验收材料。",
     "已完成"),
    ("建设“四好农村路”50公里。", "完工建设50.52公里。", "已完成"),
    ("新增绿化面积387亩。", "已完成新增造林387亩。", "已完成"),
    ("完成生活污水治理村庄61个。", "61个村庄已全部开工建设,其中44个村庄已完成治理建设。", "正常推进"),
    ("完成废弃坑塘治理村庄10个。", "已完成10个坑塘整治。", "已完成"),
    ("市场化运作农村户厕、公厕保洁管护。",
     "1.常态化开展农村户厕“报抽报修”及公厕保洁维护。2.委托设计院对公厕冬季防冻改造进行图纸设计,并报财政局进行评审,做好招标准备工作。农村公厕提升改造完成工程招标,签订施工合同,进行改造升级项目施工。",
     "正常推进"),
]


def write_docx(path: Path) -> None:
    doc = Document()
    doc.core_properties.author = ""
    doc.add_paragraph(SIZHOUTOU_TITLE)
    table = doc.add_table(rows=1, cols=len(SIZHOUTOU_HEAD))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, SIZHOUTOU_HEAD):
        cell.text = text
    for row in SIZHOUTOU_ROWS:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    doc.save(path)


def write_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(WENSHANG_HEAD)
    first = 2
    for i, (content, progress, rating) in enumerate(WENSHANG_ROWS):
        number, name, unit = WENSHANG_GROUP if i == 0 else (None, None, None)
        ws.append([number, name, content, progress, rating, unit])
    last = first + len(WENSHANG_ROWS) - 1
    for col in ("A", "B", "F"):  # 序号, 项目名称 and 主办单位 span the project's rows
        ws.merge_cells(f"{col}{first}:{col}{last}")
        ws[f"{col}{first}"].alignment = Alignment(vertical="center", wrap_text=True)
    for col, width in zip("ABCDEF", (6, 16, 40, 48, 10, 18)):
        ws.column_dimensions[col].width = width
    wb.save(path)


if __name__ == "__main__":
    write_docx(HERE / "06-sizhoutou-2024-zhongdian.docx")
    write_xlsx(HERE / "07-wenshang-2023-minsheng.xlsx")
