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


# 17 — 宝府办〔2019〕26号, 附件1, as extracted from the official page
#      https://www.shanghai.gov.cn/zhengce/detail/0078::2dadcacd-e1c8-441c-9f2f-b7ab4d861222
#      (stored text: zhiyao87/Shanghai-Gov-Docs-Index, docs/市容绿化与景观/上海市宝山区人民政府办公室关于印发
#      贯彻《上海市生活垃圾管理条例》推进全程分类体系建设实施方案的通知.md). The stored text gives one cell
#      a line; 任务名称 stands on the first row of its group only, so it is merged down the group,
#      and it is printed again at rows 12, 29 and 35 as in the source. A cell the source splits
#      over two lines keeps the break.
BAOSHAN_TITLE = "2019年宝山区生活垃圾分类减量推进工作联席会议成员单位工作任务清单"
BAOSHAN_HEAD = ["序号", "任务名称", "任务内容", "牵头部门", "配合部门", "时间节点"]
BAOSHAN_GROUPS = [  # (任务名称, [(任务内容, 牵头部门, 配合部门, 时间节点), ...])
    ("加强组织领导", [
        ("召开全区生活垃圾分类工作动员大会。建立区生活垃圾分类减量联席会议制度、建立联络员网络。",
         "区政府办公室", "各联席会议成员单位", "2019年3月"),
        ("将生活垃圾管理作为生态文明建设和城市精细化管理的重要内容，纳入专项督查和绩效评价指标体系。",
         "区委组织部（区公务员局）", "区绿化市容局", "2019年"),
        ("建立健全“两级政府、三级管理、四级落实”的生活垃圾分类责任体系，落实属地政府、区域管理职责。",
         "区政府办公室", "各街镇（园区）", "2019年6月"),
        ("完善街镇（园区）生活垃圾分类工作联席会议制度，加大日常综合协调和监督指导力度，细化各部门的责任分工，量化工作目标和任务指标，责任到人。",
         "各街镇（园区）", "各联席会议成员单位", "2019年3月"),
    ]),
    ("推进基层建设", [
        ("将垃圾分类绿色账户工作纳入基层组织居民区,党组织管理的工作职责，发挥基层党组织核心作用，在社区形成党组织、居委、物业、业委的“四位一体”合力抓实四级垃圾分类联席会议制度。",
         "区委组织部、区民政局、区住房保障房屋管理局、区绿化市容局", "各街镇（园区）", "2019年6月"),
        ("落实街镇联席办及居（村）委每1-2周的垃圾分类工作分析评价制度，发挥居民自治能力，充分调动居民的积极性和主动性。",
         "区民政局", "各街镇（园区）", "2019年"),
        ("对接网格化管理机制，加大对城乡居住区生活垃圾分类工作监督检查频率，定期分析发现问题，建立情况通报机制。",
         "区城市网格化综合管理中心", "各联席会议成员单位", "2019年"),
        ("梳理成功典型案例及基层创造有效经验，在全区大力推广。结合区乡村振兴战略工作，积极推进农村生活垃圾分类示范村创建，发挥示范引领作用。",
         "区绿化市容局", "各联席会议成员单位", "2019年5月"),
    ]),
    ("推进全面覆盖", [
        ("深入开展生活垃圾分类达标、示范街镇（园区），及农村生活垃圾分类达标、示范村创建活动,落实属地责任，将垃圾分类工作落实到人。",
         "各街镇（园区）", "区绿化市容局、\n区农业农村委", "2019年"),
        ("居住区、单位、公共场所垃圾分类完成全覆盖，严格执行居住区、单位、公共场所达标标准，将70%以上的源头实效分解至居住区、单位、公共场所促进街镇园区共同推进。",
         "区绿化市容局", "区商务委、区国资委、区住房保障房屋管理局、区民政局、区文化旅游局、区市场监管局", "2019年6月"),
        ("落实居住区分类垃圾箱房和分类投放点改造，推进居住区、公共场所生活垃圾投放容器、标识的规范化，短途驳运机具的规范化。",
         "区绿化市容局", "区住房保障房屋管理局", "2019年"),
    ]),
    ("推进全面覆盖", [
        ("用好在职党员双报到制度，发挥在职党员对社区垃圾分类的示范、志愿者作用。",
         "区委组织部", "各街镇（园区）", "2019年"),
        ("餐厨垃圾目标任务日均131吨。", "区绿化市容局", "区城管执法局", "2019年"),
        ("党政机关、公共机构垃圾分类完成全覆盖，100%实现达标标准。",
         "区机管局", "区绿化市容局\n区党政机关、公共机构", "2019年9月"),
    ]),
    ("加快体系建设", [
        ("依据《上海市再生资源回收管理办法》、《上海市促进生活垃圾分类减量办法》有关要求，建成两网融合服务点670个、中转站12座。",
         "区绿化市容局", "区商务委、区住房保障房屋管理局、区城管执法局", "2019年"),
        ("完成规范的湿垃圾车辆配置80余辆，有害垃圾专用收运车1辆，干垃圾车辆全面标识规范。",
         "区绿化市容局", "各街镇（园区）", "2019年"),
        ("提高分类中转能力，加强中转环节分类标识的规范性检查，优化全程分类体系对市民的科普教育作用",
         "区绿化市容局", "区科委、各街镇（园区）", "2019年"),
        ("建立健全保洁员、分拣员、志愿者队伍（原则上按500户配1名），开展农村生活垃圾分类业务培训，并完成硬件设施采购前期准备工作。",
         "各街镇（园区）", "区绿化市容局", "2019年3月"),
        ("配齐农村居民每户干湿垃圾分类投放桶、集中投放四分类桶、收集车等硬件设施，完成垃圾箱房改建任务。",
         "各街镇（园区）", "区财政局、区绿化市容局", "2019年6月"),
        ("全面推进农村生活垃圾分类全覆盖工作，实现农村生活垃圾源头分类、分类收运、分类处置，优化农村垃圾分类全流程体系。",
         "各街镇（园区）", "区绿化市容局", "2019年9月"),
    ]),
    ("提高处理能力", [
        ("加快推进本区湿垃圾处理项目；加快推进本区干垃圾焚烧项目。",
         "区政府办公室、区绿化市容局、", "区规划资源局、区重大办", "2019年"),
        ("组织培训和现场教学，发挥第三方专业监管和专业监测机构的发现作用，严格处理运营中的不规范行为。严格落实生活垃圾处理设施公众开放和公众参与制度。",
         "区绿化市容局、区城管执法局", "区城市网格化综合管理中心、各街镇（园区）", "2019年"),
        ("排摸本区农贸市场、标准化菜场现状，落实新建和已建农贸市场、标准化菜场的湿垃圾就地处理设施配套工作",
         "区市场监管局", "区商务委\n区绿化市容局", "2019年"),
    ]),
    ("推动源头减量", [
        ("推动旅馆、餐饮行业限制或减少使用一次性用品，倡导绿色消费，推广使用可循环利用物品，并组织开展联合检查执法。",
         "区文化旅游局、区市场监管局", "区商务委", "2019年"),
        ("促进快递包装物减量和循环使用，制定本区推进快递业绿色包装标准的实施方案，提高快递包装物回收利用率。",
         "区邮政局、区市场监管局", "区绿化市容局", "2019年"),
        ("加大净菜上市在标准化菜场和生鲜超市、大型超市等场所的推进力度。",
         "区市场监管局、区农业农村委、区商务委", "各街镇（园区）", "2019年"),
    ]),
    ("强化执法监督", [
        ("规范收集运输行为,杜绝混装混运现象。", "区城管执法局", "区绿化市容局", "2019年"),
        ("开展垃圾分类、餐厨垃圾、餐厨废弃油脂等专项执法行动，严格落实执法责任。重点检查收集容器配置、单位生活垃圾分类、垃圾分类收运管理规定的执行情况进行执法检查，提高监管执法实效。",
         "区城管执法局、区市场监管局", "区绿化市容局", "2019年"),
    ]),
    ("强化执法监督", [
        ("区绿化市容局向社会公开选聘生活垃圾管理社会监督员，参与生活垃圾全程管理的监督工作。相关职能部门公示混装混运监督电话。",
         "区绿化市容局", "区委宣传部（区文明办、区政府新闻办、区委网信办）、区民政局", "2019年"),
        ("逐步落实倒逼机制，逐步落实收集、运输单位对居住区交付生活垃圾品质管理责任，从分类湿垃圾品质管理倒逼逐步延伸到其他分类垃圾品种，使居住区做好源头分类管理工作。",
         "区绿化市容局", "各街镇（园区）", "2019年"),
    ]),
    ("营造良好氛围", [
        ("采取分类分级培训，组织全区性的宣讲，指导各街镇（园区）开展相关宣教工作。",
         "区绿化市容局、区委宣传部", "各街镇（园区）", "2019年5月"),
        ("组织开展生活垃圾立法宣传“进社区、进学校、进医院、进机关、进企业、进公园”系列活动，普及垃圾分类及立法知识，采取分类分级培训和送教上门相结合的方式，开展区、街镇（园区）以及行业单位《条例》培训，发放普法宣传资料，分类宣传海报及资料。",
         "区绿化市容局", "区住房保障房屋管理局、区城管执法局、区民政局、区卫健委、区机管局、区国资委、区教育局、区商务委", "2019年"),
        ("参与全市《条例》宣传“五个一”工程。",
         "区科委、区绿化市容局、区委宣传部（区文明办、区政府新闻办、区委网信办）", "各街镇（园区）", "2019年"),
        ("发挥社区通平台作用，及时发布由职能部门制作的居民喜闻乐见的各类宣传产品和互动产品，加强示范引导。",
         "区绿化市容局、区民政局", "各街镇（园区）", "2019年"),
    ]),
    ("营造良好氛围", [
        ("结合好家风好家训工作，实现垃圾分类进家庭培训。",
         "区民政局、区委宣传部（区文明办）、区妇联", "区绿化市容局", "2019年"),
        ("组织各级媒体做好垃圾分类相关宣传和舆情处置工作。",
         "区绿化市容局、区委宣传部（区政府新闻办、区委网信办）", "各街镇（园区）", "2019年"),
        ("发挥城管社区工作室的作用，主动牵头基层党组织、居委、业委、物业、志愿者形成“五位一体”联动机制，积极落实居住区、企事业单位的分类投放管理责任人职责。",
         "区城管执法局、区住房保障房屋管理局、区民政局", "区绿化市容局", "2019年"),
        ("加强《上海市生活垃圾管理条例》的宣贯工作。举办垃圾分类及《上海市生活垃圾管理条例》普法为主题的系列活动。（各单位全年不少于一场）。",
         "区绿化市容局", "各街镇（园区）", "2019年"),
        ("开展单位、公共机构的分类投放管理责任人垃圾分类及《上海市生活垃圾管理条例》的宣传培训，全年培训不少于5场。",
         "区绿化市容局、区机管局", "各街镇（园区）", "2019年"),
    ]),
]


def write_baoshan_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append([BAOSHAN_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(BAOSHAN_HEAD))
    ws.append(BAOSHAN_HEAD)
    number = 0
    for name, rows in BAOSHAN_GROUPS:
        first = ws.max_row + 1
        for i, (content, lead, partners, when) in enumerate(rows):
            number += 1
            ws.append([number, name if i == 0 else None, content, lead, partners, when])
        if len(rows) > 1:  # 任务名称 spans its group's rows
            ws.merge_cells(f"B{first}:B{first + len(rows) - 1}")
        ws[f"B{first}"].alignment = Alignment(vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=3):
        for cell in row[2:5]:
            cell.alignment = Alignment(wrap_text=True)
    for col, width in zip("ABCDEF", (6, 14, 60, 28, 36, 12)):
        ws.column_dimensions[col].width = width
    wb.save(path)


if __name__ == "__main__":
    write_docx(HERE / "06-sizhoutou-2024-zhongdian.docx")
    write_xlsx(HERE / "07-wenshang-2023-minsheng.xlsx")
    write_baoshan_xlsx(HERE / "17-baoshan-2019-laji-qingdan.xlsx")
