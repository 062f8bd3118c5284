"""Writes sample_data/shizhong-2023.xlsx: the sample district 枣庄市市中区, 2023, as its office keeps it.

Run it from the repository root (python sample_data/make_sample.py); the output is byte-for-byte the
same on every run (a seeded generator, fixed workbook properties and zip timestamps), so the
committed workbook can be regenerated and audited.

The figures it is built to reproduce (the 2023 report on the district; campaign 百日会战 from
2023-04-15 for 100 days, and no stage or trip dated after 2023-06-30):
  - 25 projects signed 2023-04-15..06-30, ten of them on 2023-06-26;
  - 18 projects started or ready to start in that window, each counted once on the earlier of its
    ready and start dates; ten started on 2023-06-27, worth 163 亿元 together;
  - 229 project leads dated in the window (sheet 项目线索, column 获取时间);
  - 16 marshal projects (挂帅, ≥ 10 亿元) covering all 10 chains;
  - 14 outbound trips by the district's main leaders (unit 区委区政府) in the first half of 2023,
    all inside the window, with 45 visits and 6 negotiations;
  - 中环智能制造产业园 60 亿元, 万达广场 20 亿元, 晟达菲尔高端乳制品产业园 10.3 亿元.
Around them: projects signed and started in 2022 and early 2023, some producing, some 外资 in 万美元,
planned starts (some overdue on 2023-06-30), a few month-only and year-less dates, a terminated
project, projects under negotiation, planned (谋划) projects and per-unit campaign targets.

The dispatch's two working lists ride along:
  - 存在问题 on the project sheet (a 问题协调 group: 存在问题, 责任单位 — the problem's owner, beside it —,
    提出时间, 解决时限, 办结时间, 解决情况): on 2023-06-30 five are overdue, nine more open (one cell
    numbers two problems, one deadline is 长期, one is due that very day), six resolved (some late);
  - sheet 项目联审: the joint review (联审) of the projects signed or in negotiation on the eight
    criteria, one row per criterion under a merged project cell. Most signed projects passed (a few on
    conditions); 氢能装备制造项目 signed with 能耗 failed, two signed in June lack reviews; two projects
    in negotiation failed one criterion (能耗, 投资强度).

The project sheet looks like a real office ledger: a title row, a 单位：亿元 banner, a two-row merged
header (时间节点 over 签约时间 / 具备开工条件时间 / 开工时间 / 投产时间, 问题协调 over its six columns), a
section row per chain
("一、高端装备产业链（7个）") with a 小计 row, a 合计 row with formulas, and footnotes.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhaoshang.vocabulary.dates import parse_date

OUT = Path(__file__).resolve().parent / "shizhong-2023.xlsx"
FIXED = dt.datetime(2023, 7, 1, 9, 0, 0)
DISTRICT = "枣庄市市中区"

TOWNS = ["中心街街道", "垎塘街道", "矿区街道", "文化路街道", "龙山路街道", "光明路街道",
         "税郭镇", "孟庄镇", "齐村镇", "永安镇", "西王庄镇"]
FIRST_CLASS = {"中心街街道", "光明路街道", "龙山路街道", "税郭镇", "孟庄镇", "齐村镇"}
DEPARTMENTS = ["区发展和改革局", "区工业和信息化局", "区科学技术局", "区商务局", "区卫生健康局", "区文化和旅游局",
               "区农业农村局", "区住房和城乡建设局", "区交通运输局", "区大数据局"]
SOES = ["区城市建设投资集团", "区国有资本投资运营集团", "区交通发展集团", "区文化旅游发展集团", "区产业发展投资集团",
        "区乡村振兴发展集团"]
LEADERSHIP = "区委区政府"

# 产业链: name, 链长 (a post, not a person), 链主企业, 牵头部门
CHAINS = [
    ("高端装备产业链", "区委书记", "枣庄精工重型装备有限公司", "区工业和信息化局"),
    ("锂电新能源产业链", "区委副书记、区长", "鲁南锂能科技有限公司", "区发展和改革局"),
    ("新材料产业链", "区人大常委会主任", "枣庄华源新材料股份有限公司", "区科学技术局"),
    ("医养健康产业链", "区政协主席", "市中区康宁医疗集团有限公司", "区卫生健康局"),
    ("数字经济产业链", "区委副书记", "山东云泽数字科技有限公司", "区大数据局"),
    ("现代物流产业链", "区委常委、常务副区长", "鲁南通达物流集团有限公司", "区交通运输局"),
    ("文化旅游产业链", "区委常委、宣传部部长", "枣庄古城文旅发展有限公司", "区文化和旅游局"),
    ("绿色食品产业链", "区委常委、组织部部长", "山东晟达菲尔乳业有限公司", "区农业农村局"),
    ("商贸服务产业链", "区委常委、统战部部长", "市中区万和商业管理有限公司", "区商务局"),
    ("建筑建材产业链", "副区长", "枣庄鲁建建设集团有限公司", "区住房和城乡建设局"),
]
SHORT = ("高端", "锂电", "新材", "医养", "数字", "物流", "文化", "绿色", "商贸", "建筑")
C = {short: name for short, (name, *_) in zip(SHORT, CHAINS, strict=True)}  # 高端 -> 高端装备产业链 …

# The key-project ledger. Dates: "2023-06-26" become date cells; other text (2022年11月, 2022.5,
# 6月26日, 2023/5/8) is kept as typed; an int 20230530 or 202303 is a number cell.
# (chain, name, investor, 亿元, 万美元, unit, stage word, signed, ready, started, produced, planned start,
#  marshal, progress, note)
P = [
    # — signed on 2023-06-26 at the district's signing ceremony (ten)
    ("锂电", "年产5GWh储能电池项目", "鲁南锂能科技有限公司", "30", None, "孟庄镇", "已签约", "2023-06-26", None, None,
     None, "2023-09-30", "是", "已完成签约，正在办理用地手续", None),
    ("新材", "高性能碳纤维复合材料项目", "江苏恒瑞碳材科技有限公司", "12", None, "齐村镇", "已签约", "2023-06-26", None,
     None, None, "2023-10-15", "是", "项目公司注册中", None),
    ("数字", "城市算力中心项目", "山东云泽数字科技有限公司", "8", None, "区大数据局", "已签约", "2023-06-26", None, None,
     None, "2023-09-01", None, "设计方案编制中", None),
    ("医养", "康宁康养综合体项目", "市中区康宁医疗集团有限公司", "6.5", None, "光明路街道", "前期手续办理中", "6月26日",
     None, None, None, "2023-08-20", None, "办理规划许可", None),
    ("物流", "通达冷链物流园项目", "鲁南通达物流集团有限公司", "5", None, "税郭镇", "已签约", "2023-06-26", None, None,
     None, "2023-09-15", None, "土地组卷报批", None),
    ("高端", "智能农机装备项目", "潍坊沃丰农业装备有限公司", "3.2", None, "西王庄镇", "已签约", "2023-06-26", None,
     None, None, "2023-10-01", None, "厂房选址确定", None),
    ("文化", "古城研学旅游基地项目", "北京青藤研学教育科技有限公司", "2.8", None, "文化路街道", "已签约", "2023-06-26",
     None, None, None, "2023-08-31", None, "策划方案深化", None),
    ("建筑", "装配式建筑产业园项目", "枣庄鲁建建设集团有限公司", "4.5", None, "永安镇", "已签约", "2023-06-26", None,
     None, None, "2023-09-10", None, "环评公示中", None),
    ("绿色", "绿源预制菜加工项目", "山东绿源食品有限公司", "1.6", None, "垎塘街道", "已签约", "2023-06-26", None, None,
     None, "2023-08-15", None, "设备选型", None),
    ("高端", "中德精密轴承项目", "德国施耐克精密技术有限公司", "/", 1800, "区商务局", "已签约", "2023-06-26", None,
     None, None, "2023-11-30", None, "外资备案办理中", "外资项目"),
    # — started on 2023-06-27 at the district's groundbreaking ceremony (ten, 163 亿元)
    ("高端", "中环智能制造产业园", "中环智能制造（山东）有限公司", "60", None, "税郭镇", "在建", "2022-09-16", None,
     "2023-06-27", None, "2023-06-20", "是", "一期厂房主体施工", None),
    ("商贸", "万达广场", "大连万达商业管理集团股份有限公司", "20", None, "中心街街道", "开工建设", "2022-12-08", None,
     "2023-06-27", None, None, "是", "基础施工", None),
    ("绿色", "晟达菲尔高端乳制品产业园", "山东晟达菲尔乳业有限公司", "10.3", None, "孟庄镇", "在建", "2023-04-20", None,
     "2023-06-27", None, None, "是", "场地平整完成，桩基施工", None),
    ("锂电", "锂电隔膜材料项目", "上海恩博新材料有限公司", "15", None, "齐村镇", "在建", "2023-02-18", None,
     "2023-06-27", None, "2023-06-15", "是", "主体施工", None),
    ("医养", "高端医疗器械产业园", "山东威瑞医疗器械集团有限公司", "12", None, "龙山路街道", "在建", "2022年11月",
     None, "2023-06-27", None, None, "是", "基础施工", None),
    ("物流", "鲁南智慧物流港项目", "鲁南通达物流集团有限公司", "10.5", None, "区交通发展集团", "在建", "2023/5/8", None,
     "2023-06-27", None, None, "是", "场平施工", None),
    ("建筑", "新型建材产业园", "枣庄鲁建建设集团有限公司", "10", None, "永安镇", "在建", "2022-10-12", None,
     "2023-06-27", None, None, "是", "钢结构厂房施工", None),
    ("数字", "数字经济产业园（一期）", "山东云泽数字科技有限公司", "9.2", None, "区产业发展投资集团", "在建", 20230530,
     None, "2023-06-27", None, None, None, "孵化楼基础施工", None),
    ("文化", "古城文化街区提升项目", "枣庄古城文旅发展有限公司", "8", None, "区文化旅游发展集团", "在建", "2023-03-10",
     None, "2023-06-27", None, None, None, "街区改造施工", None),
    ("高端", "精密铸造产业升级项目", "枣庄精工重型装备有限公司", "8", None, "西王庄镇", "在建", "2023-01-16", None,
     "2023-06-27", None, None, None, "设备基础施工", None),
    # — signed in the campaign on other days (twelve); some started or ready
    # ready and started in the window: counted once, on the ready date
    ("锂电", "年产10万吨锂电正极材料项目", "湖南中科锂源材料有限公司", "18", None, "孟庄镇", "在建", "2023-04-18",
     "2023-05-25", "2023-06-10", None, None, None, "主体施工", None),
    ("高端", "智能网联汽车零部件项目", "宁波驰远汽车部件有限公司", "6", None, "税郭镇", "在建", "2023-04-25", None,
     "2023-05-28", None, None, None, "厂房施工", None),
    ("医养", "中医药大健康产业园", "山东岐黄中医药集团有限公司", "11", None, "齐村镇", "在建", "2023-05-06", None,
     "2023-06-18", None, None, "√", "基础施工", None),
    ("商贸", "跨境电商产业园", "杭州云链跨境电商有限公司", "3", None, "中心街街道", "在建", "2023-05-12", None,
     "2023-06-21", None, None, None, "装修施工", None),
    ("新材", "功能性薄膜材料项目", "苏州华膜新材料科技有限公司", "7.5", None, "矿区街道", "具备开工条件",
     "2023-05-15", "2023-06-12", None, None, "2023-07-15", None, "施工许可已办结", None),
    ("医养", "社区康养服务中心项目", "山东颐和养老服务有限公司", "１.２", None, "龙山路街道", "具备开工条件",
     "2023-05-22", "2023-06-20", None, None, "2023-07-10", None, "施工图审查通过", None),
    ("数字", "工业互联网平台项目", "深圳智联工业互联网有限公司", "2", None, "区工业和信息化局", "已签约", "2023-04-28",
     None, None, None, "2023-06-15", None, "平台方案论证", None),
    ("物流", "农产品冷链仓储项目", "山东鲜达冷链物流有限公司", "1.5", None, "永安镇", "已签约", "2023-05-19", None,
     None, None, "2023年6月", None, "土地挂牌准备", None),
    ("绿色", "乡村振兴田园综合体项目", "枣庄绿野农业发展有限公司", "3.6", None, "区乡村振兴发展集团", "已签约",
     "2023-06-02", None, None, None, "2023-08-01", None, "规划编制", None),
    ("建筑", "建筑垃圾资源化利用项目", "徐州再生资源科技有限公司", "1.1", None, "西王庄镇", "已签约", "2023-06-09",
     None, None, None, "2023-05-31", None, "环评办理中", None),
    ("文化", "沉浸式文旅演艺项目", "上海幻境文化传媒有限公司", "2.3", None, "文化路街道", "已签约", "2023-06-16", None,
     None, None, "2023-09-30", None, "剧目创作", None),
    ("绿色", "新加坡嘉禾食品科技项目", "新加坡嘉禾食品控股有限公司", "/", 3500, "光明路街道", "已签约", "2023-06-21",
     None, None, None, "2023-10-31", None, "外资备案", "外资项目"),
    # — signed before the campaign, started or ready inside it
    ("高端", "精密模具产业园项目", "东莞精铸模具有限公司", "5.8", None, "垎塘街道", "在建", "2022-12-20", None,
     "2023-05-16", None, None, None, "厂房施工", None),
    ("锂电", "光伏组件回收利用项目", "江苏绿循环境科技有限公司", "4", None, "矿区街道", "具备开工条件", "2023-02-08",
     "2023-06-05", None, None, "2023-07-20", None, "施工队伍进场准备", None),
    # — ready before the campaign, started inside it: counted on its ready date (March), not in the window
    ("高端", "数控机床关键部件项目", "济南华数机床有限公司", "3.5", None, "税郭镇", "在建", "2022-11-05", "2023-03-20",
     "2023-05-10", None, None, None, "设备安装", None),
    # — earlier projects: producing, building, signed and waiting, terminated, foreign
    ("锂电", "锂电池模组生产线项目", "鲁南锂能科技有限公司", "25", None, "孟庄镇", "已投产", "2022-01-10", None,
     "2022-03-18", 202303, None, "是", "一期投产，二期设备调试", None),
    ("新材", "高性能密封件项目", "青岛海密新材料有限公司", "2.6", None, "齐村镇", "试生产", "2022年3月", None, "2022.5",
     "2022-12-26", None, None, "试生产", None),
    ("高端", "智能仓储机器人项目", "杭州灵动机器人有限公司", "13", None, "光明路街道", "已投产", "2022-02-14", None,
     "2022-04-20", "2023-06-08", None, None, "投产达效", None),
    ("医养", "医用敷料生产项目", "山东康洁医疗用品有限公司", "1.8", None, "矿区街道", "已投产", "2022-04-06", None,
     "2022-06-15", "2022-12-30", None, None, "满负荷生产", None),
    ("锂电", "新能源重卡换电站项目", "北京启源换电科技有限公司", "3", None, "区交通发展集团", "在建", "2022-07-22",
     None, "2022-09-10", None, None, None, "设备安装", None),
    ("数字", "大数据灾备中心项目", "山东云泽数字科技有限公司", "16", None, "区城市建设投资集团", "在建", "2022-05-18",
     None, "2022-08-30", None, None, "是", "机房主体完工", None),
    ("商贸", "城市商业综合体项目", "枣庄万和置业有限公司", "35", None, "龙山路街道", "在建", "2021-12-28", None,
     "2022-06-06", None, None, "是", "主体封顶", None),
    ("物流", "智慧物流分拨中心", "鲁南通达物流集团有限公司", "2.2", None, "税郭镇", "在建", "2023-01-09", None,
     "2023-03-15", None, None, None, "仓库主体施工", None),
    ("绿色", "有机肥加工项目", "枣庄沃土生物科技有限公司", "8000万", None, "西王庄镇", "在建", "2023-02-21", None,
     "2023-04-03", None, None, None, "设备安装", None),
    ("建筑", "城市更新综合开发项目", "区城市建设投资集团", "120", None, "区城市建设投资集团", "在建", "2022-08-08",
     None, "2022年10月", None, None, "是", "一期棚改安置房施工", None),
    ("文化", "红色文化教育基地项目", "枣庄古城文旅发展有限公司", "13", None, "区文化旅游发展集团", "在建",
     "2022-06-16", None, "2022-09-28", None, None, "是", "展馆布展", None),
    ("新材", "生物可降解材料项目", "浙江绿塑新材料有限公司", "9.8", None, "永安镇", "已签约", "2022-11-18", None, None,
     None, "2023-03-31", None, "土地征收未完成", "要素保障问题待协调"),
    ("锂电", "氢能装备制造项目", "北京氢动能源科技有限公司", "22", None, "齐村镇", "已签约", "2023-01-12", None, None,
     None, "2023年5月", None, "等待能评批复", None),
    ("医养", "互联网医院项目", "山东健康云医疗科技有限公司", "1", None, "中心街街道", "已签约", "2023-03-02", None,
     None, None, "2023-09-01", None, "资质申报", None),
    ("物流", "保税物流中心项目", "鲁南通达物流集团有限公司", "14", None, "区交通发展集团", "已签约", "2023-03-28", None,
     None, None, "2023-06-30", "是", "海关验收准备", None),
    ("新材", "光伏玻璃深加工项目", "河北晶辉玻璃有限公司", "6", None, "垎塘街道", "已终止", "2022-05-20", None, None,
     None, None, None, "投资方资金链断裂，已解除协议", None),
    ("新材", "韩国大成精细化工项目", "韩国大成精细化学株式会社", "/", 2600, "区商务局", "在建", "2023-01-20", None,
     "2023-03-30", None, None, None, "设备安装", "外资项目"),
    ("数字", "中日合资智能传感器项目", "枣庄日晟传感科技有限公司", "3.2", 1500, "区工业和信息化局", "在建",
     "2022-10-26", None, "2023-02-28", None, None, None, "洁净车间施工", "中日合资"),
    # — under negotiation
    ("锂电", "年产20GWh动力电池项目", "宁德新源动力电池有限公司", "80", None, "孟庄镇", "洽谈中", None, None, None, None,
     None, None, "已完成三轮洽谈，待投资方决策", None),
    ("数字", "半导体封装测试项目", "无锡芯测半导体有限公司", "15", None, "区产业发展投资集团", "正在洽谈", None, None,
     None, None, None, None, "考察对接", None),
    ("医养", "高端医疗美容产业园", "上海颜域医疗美容集团有限公司", "5", None, "光明路街道", "拟签约", None, None, None,
     None, None, None, "协议文本审核", None),
    ("绿色", "中央厨房项目", "山东味来餐饮管理有限公司", "1.2", None, "永安镇", "洽谈中", None, None, None, None,
     None, None, "选址比选", None),
    ("商贸", "商业步行街提升项目", "枣庄万和置业有限公司", "2", None, "文化路街道", "洽谈中", None, None, None, None,
     None, None, "业态策划", None),
    ("物流", "航空物流枢纽项目", "顺捷航空物流有限公司", "30", None, "区交通发展集团", "正在洽谈", None, None, None,
     None, None, None, "合作模式商谈", None),
]

# 存在问题 of the key projects, by project name: (problem, owner unit, raised, deadline, resolved, resolution).
# As of 2023-06-30: five overdue, nine more open, six resolved (two of them late).
PROBLEMS = {
    # overdue on 2023-06-30
    "生物可降解材料项目": ("土地征收未完成，影响项目开工", "永安镇", "2023-03-10", "2023-05-31", None, None),
    "氢能装备制造项目": ("节能审查（能评）未批复，需协调市发展改革委", "区发展和改革局", "2023-04-20", "2023-06-15",
                         None, None),
    "建筑垃圾资源化利用项目": ("环评手续办理滞后", "西王庄镇", "2023-06-12", "2023-06-20", None, "环评报告书已报审"),
    "保税物流中心项目": ("海关监管场所预验收未通过，需整改", "区商务局", "2023-06-01", "2023-06-25", None, None),
    "工业互联网平台项目": ("平台建设方案未最终确定", "区工业和信息化局", "2023-05-10", "2023-06-20", None, None),
    # open, not yet due (one due on 2023-06-30 itself, one 长期, one cell holding two problems)
    "年产5GWh储能电池项目": ("项目用地指标需市级统筹", "孟庄镇", "2023-06-27", "2023-08-31", None, None),
    "通达冷链物流园项目": ("土地组卷报批进度慢", "税郭镇", "2023-06-28", "2023年7月", None, None),
    "功能性薄膜材料项目": ("施工用电增容（10千伏）未接入", "矿区街道", "2023-06-13", "2023-07-10", None, None),
    "古城研学旅游基地项目": ("研学基地选址涉及文物保护范围，需调整方案", "区文化和旅游局", "2023-06-27",
                             "2023-08-15", None, None),
    "中德精密轴承项目": ("外资备案材料需补正", "区商务局", "2023-06-26", "2023-07-15", None, None),
    "高性能碳纤维复合材料项目": ("项目公司注册需协调市场监管部门", "齐村镇", "2023-06-26", "2023-06-30", None, None),
    "城市算力中心项目": ("1.能耗指标需市里统筹；2.双回路供电方案待电力公司批复", "区发展和改革局", "2023-06-26",
                         "2023-09-30", None, None),
    "城市更新综合开发项目": ("棚改安置房回迁协调", "区城市建设投资集团", "2023-02-10", "长期", None, None),
    # resolved
    "中环智能制造产业园": ("施工用水用电接入", "税郭镇", "2023-05-15", "2023-06-20", "2023-06-18", "供水供电已接入"),
    "晟达菲尔高端乳制品产业园": ("场地平整土方外运", "孟庄镇", "2023-05-08", "2023-06-10", "2023-06-20",
                                 "土方已外运完毕"),
    "锂电隔膜材料项目": ("环评批复", "齐村镇", "2023-04-20", "2023-06-15", "2023-06-12", "环评已批复"),
    "万达广场": ("施工许可证办理", "区住房和城乡建设局", "2023-05-20", "2023-06-25", "2023-06-26", "施工许可证已核发"),
    "精密铸造产业升级项目": ("进口设备关税减免手续", "区商务局", "2023-04-10", "2023-05-31", "2023-05-28",
                             "减免手续已办结"),
    "中医药大健康产业园": ("中药材种植基地用地协调", "齐村镇", "2023-06-01", "2023-07-15", "2023-06-29",
                           "已签订土地流转协议"),
    # rows that say there is none
    "精密模具产业园项目": ("无", None, None, None, None, None),
    "跨境电商产业园": ("暂无", None, None, None, None, None),
}

# 联审: the eight criteria, who reviews each, and the projects' verdicts (pass unless listed here).
CRITERIA = ["产业准入", "布局规划", "环境保护", "能耗", "投资强度", "利税", "科技研发能力", "人才支撑"]
REVIEWERS = {"产业准入": "区发展和改革局", "布局规划": "区自然资源局", "环境保护": "市生态环境局市中分局",
             "能耗": "区发展和改革局", "投资强度": "区自然资源局", "利税": "区税务局", "科技研发能力": "区科学技术局",
             "人才支撑": "区委组织部（人才办）"}
VERDICTS = {
    "氢能装备制造项目": {"能耗": ("不通过", "年综合能耗超出区能耗指标余量，待能评批复")},
    "年产20GWh动力电池项目": {"能耗": ("不通过", "年综合能耗约12万吨标准煤，超出区能耗指标余量")},
    "高端医疗美容产业园": {"投资强度": ("不通过", "亩均投资强度低于300万元/亩")},
    "城市算力中心项目": {"能耗": ("有条件通过", "落实能耗等量替代后实施")},
    "年产5GWh储能电池项目": {"环境保护": ("有条件通过", "落实危废处置协议")},
    "新加坡嘉禾食品科技项目": {"布局规划": ("有条件通过", "调整厂区出入口位置")},
    "装配式建筑产业园项目": {"环境保护": ("有条件通过", "落实扬尘治理措施")},
    "锂电隔膜材料项目": {"能耗": ("有条件通过", "采用光伏绿电替代")},
}
NOT_REVIEWED = {"建筑垃圾资源化利用项目", "半导体封装测试项目", "中央厨房项目", "商业步行街提升项目", "光伏玻璃深加工项目"}
PARTLY_REVIEWED = {"沉浸式文旅演艺项目": 6, "航空物流枢纽项目": 5}  # only the first n criteria reviewed

# Leads: products per chain, and the words investors' names are made of.
PRODUCTS = {
    "高端": ["工业机器人", "数控刀具", "液压元件", "智能焊接装备", "传感器模组", "精密减速器", "伺服电机", "激光切割设备"],
    "锂电": ["储能集装箱", "锂电负极材料", "电解液", "动力电池回收", "充电桩", "光伏支架", "氢燃料电池", "钠离子电池"],
    "新材": ["特种陶瓷", "高分子涂料", "石墨烯导热膜", "玄武岩纤维", "工程塑料", "特种玻璃", "碳化硅", "纳米材料"],
    "医养": ["康复器械", "养老服务", "医用耗材", "生物制药", "体外诊断试剂", "中药饮片", "健康管理", "医疗影像"],
    "数字": ["软件外包", "数据标注", "智慧城市", "直播电商基地", "工业软件", "信创适配", "云计算服务", "数字孪生"],
    "物流": ["城配物流", "快递分拨", "冷链配送", "供应链金融", "公铁联运", "仓储托管", "智慧停车", "网络货运"],
    "文化": ["文创园", "民宿集群", "影视基地", "研学营地", "非遗工坊", "演艺综合体", "体育公园", "夜间文旅街区"],
    "绿色": ["果蔬深加工", "休闲食品", "粮油加工", "肉制品", "烘焙食品", "调味品", "植物蛋白饮品", "食用菌"],
    "商贸": ["商业综合体", "汽车销售服务", "家居卖场", "社区商业", "专业市场", "酒店", "会展服务", "总部经济"],
    "建筑": ["绿色建材", "装配式构件", "预拌砂浆", "保温材料", "建筑设计", "市政工程", "防水材料", "钢结构"],
}
SUFFIXES = ["项目", "生产基地项目", "研发中心项目", "产业园项目", "扩能项目"]
CITIES = [("深圳", "广东"), ("上海", "上海"), ("苏州", "江苏"), ("杭州", "浙江"), ("北京", "北京"), ("天津", "天津"),
          ("青岛", "山东"), ("济南", "山东"), ("广州", "广东"), ("宁波", "浙江"), ("合肥", "安徽"), ("南京", "江苏"),
          ("无锡", "江苏"), ("厦门", "福建"), ("成都", "四川"), ("武汉", "湖北"), ("郑州", "河南"), ("徐州", "江苏")]
WORDS = ["恒", "盛", "瑞", "华", "鑫", "泰", "嘉", "新", "博", "远", "宏", "锦", "润", "达", "信", "诚", "卓", "汇"]
INDUSTRY = {"高端": "智能装备", "锂电": "新能源", "新材": "新材料", "医养": "健康产业", "数字": "数字科技",
            "物流": "供应链", "文化": "文化旅游", "绿色": "食品", "商贸": "商业管理", "建筑": "建材"}
LEAD_UNITS = TOWNS * 3 + DEPARTMENTS + SOES  # towns find most leads

# Trips by the district's main leaders (unit 区委区政府): 14, 45 visits, 6 negotiations.
MAIN_TRIPS = [
    ("2023-04-18", "区委书记", "深圳", "珠三角", 4, 1), ("2023-04-23", "区长", "上海", "长三角", 3, 0),
    ("2023-04-27", "区委书记", "苏州", "长三角", 3, 1), ("2023-05-06", "区长", "北京", "京津冀", 4, 0),
    ("2023-05-11", "区委书记", "杭州", "长三角", 3, 1), ("2023-05-16", "区长", "天津", "京津冀", 2, 0),
    ("2023-05-20", "区委书记", "广州", "珠三角", 4, 1), ("2023-05-25", "区长", "宁波", "长三角", 3, 0),
    ("2023-05-31", "区委书记", "合肥", "长三角", 3, 0), ("2023-06-06", "区长", "南京", "长三角", 4, 1),
    ("2023-06-10", "区委书记", "无锡", "长三角", 3, 0), ("2023-06-14", "区长", "厦门", "海西", 3, 1),
    ("2023-06-18", "区委书记", "成都", "成渝", 3, 0), ("2023-06-24", "区长", "青岛", "山东半岛", 3, 0),
]

# 百日会战 targets per unit: (新签约项目, 新开工或具备开工条件项目, 新增项目线索, 新签约金额 亿元)
TARGETS = {
    **{t: (2, 1, 12, 8) for t in TOWNS},
    "税郭镇": (3, 2, 14, 20), "孟庄镇": (3, 2, 14, 20), "齐村镇": (3, 2, 14, 15),
    **{d: (1, 1, 8, 3) for d in DEPARTMENTS},
    "区工业和信息化局": (2, 1, 8, 5), "区商务局": (2, 1, 8, 5),
    **{s: (1, 1, 4, 5) for s in SOES},
}

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
CN_NUM = "一二三四五六七八九十"


def cell_value(value):
    """ISO text becomes a date cell; anything else is written as it is."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return value


def money(value):
    """An amount as typed: plain numbers become number cells, anything else ("/", 8000万) stays text."""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):
        return float(Decimal(value)) if "." in value else int(value)
    return value


def title(ws, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30


def header(ws, row: int, labels: list[str]) -> None:
    for j, label in enumerate(labels, 1):
        c = ws.cell(row=row, column=j, value=label)
        c.font, c.alignment, c.fill, c.border = BOLD, CENTER, HEAD_FILL, BOX


def boxed(ws, row: int, values: list, formats: dict[int, str] | None = None) -> None:
    for j, value in enumerate(values, 1):
        c = ws.cell(row=row, column=j, value=cell_value(value))
        c.border = BOX
        if isinstance(c.value, dt.date):
            c.number_format = "yyyy-mm-dd"
        if formats and j in formats and isinstance(c.value, (int, float)):
            c.number_format = formats[j]


def widths(ws, values: dict[str, float]) -> None:
    for letter, width in values.items():
        ws.column_dimensions[letter].width = width


def page(ws, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows


def notes_sheet(wb) -> None:
    ws = wb.active
    ws.title = "填报说明"
    lines = [
        "市中区招商引资台账填报说明",
        "1. 本台账由区招商服务中心汇总，各镇街、产业链牵头部门、区属国有企业每周五前更新。",
        "2. 总投资以亿元为单位；外资项目另填外资金额（万美元）。",
        "3. 时间节点填写实际完成日期，只知道月份的填写到月（如 2023年5月）。",
        "4. 项目阶段：线索、在谈、签约、具备开工条件、开工、投产、终止。",
        "5. 挂帅项目指总投资10亿元以上、由链长挂帅推进的产业链重点项目。",
    ]
    for i, line in enumerate(lines, 1):
        ws.cell(row=i, column=1, value=line).font = Font(bold=(i == 1), size=14 if i == 1 else 11)
    ws.column_dimensions["A"].width = 90


def ledger_sheet(wb) -> None:
    ws = wb.create_sheet("重点项目台账")
    labels = ["序号", "项目编号", "项目名称", "投资方", "总投资", "外资（万美元）", "责任单位", "项目阶段", "时间节点",
              None, None, None, "计划开工时间", "是否挂帅", "进展情况", "备注", "问题协调", None, None, None, None, None,
              *FUNDS_LABELS_2023]
    subs = [None] * 8 + ["签约时间", "具备开工条件时间", "开工时间", "投产时间"] + [None] * 4 + \
        ["存在问题", "责任单位", "提出时间", "解决时限", "办结时间", "解决情况"] + [None] * len(FUNDS_LABELS_2023)
    width = len(labels)
    title(ws, f"{DISTRICT}2023年招商引资重点项目推进台账", width)
    ws.cell(row=2, column=1, value="填报时间：2023年7月1日")
    ws.cell(row=2, column=width, value="单位：亿元").alignment = Alignment(horizontal="right")
    header(ws, 3, [x or "" for x in labels])
    header(ws, 4, [x or "" for x in subs])
    for j, label in enumerate(labels, 1):
        if label and label not in ("时间节点", "问题协调"):
            ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.merge_cells(start_row=3, start_column=9, end_row=3, end_column=12)
    ws.merge_cells(start_row=3, start_column=17, end_row=3, end_column=22)
    row = 5
    number = 0
    subtotals = []
    for n, (chain, *_rest) in enumerate(CHAINS):
        rows = [p for p in P if C[p[0]] == chain]
        ws.cell(row=row, column=1, value=f"{CN_NUM[n]}、{chain}（{len(rows)}个）")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row=row, column=1).font = BOLD
        ws.cell(row=row, column=1).fill = SECTION_FILL
        row += 1
        first = row
        for p in rows:
            number += 1
            (_c, name, investor, yi, usd, unit, stage, signed, ready, started, produced, plan, marshal, progress,
             note) = p
            code = f"ZD-{number:03d}"
            problem = list(PROBLEMS.get(name, (None,) * 6))
            funds = list(FUNDS_2023.get(name, (None,) * len(FUNDS_LABELS_2023)))
            boxed(ws, row, [number, code, name, investor, money(yi), usd, unit, stage, signed, ready, started, produced, plan,
                            marshal, progress, note, *problem, *funds], {5: "0.00"})
            row += 1
        boxed(ws, row, ["小计", None, None, None, f"=SUM(E{first}:E{row - 1})", f"=SUM(F{first}:F{row - 1})"]
              + [None] * (width - 6))
        ws.cell(row=row, column=5).number_format = "0.00"
        for j in range(1, width + 1):
            ws.cell(row=row, column=j).font = BOLD
        subtotals.append(row)
        row += 1
    total = "+".join(f"E{r}" for r in subtotals)
    usd_total = "+".join(f"F{r}" for r in subtotals)
    boxed(ws, row, ["合计", None, f"共{number}个项目", None, f"={total}", f"={usd_total}"] + [None] * (width - 6))
    ws.cell(row=row, column=5).number_format = "0.00"
    for j in range(1, width + 1):
        ws.cell(row=row, column=j).font = BOLD
    ws.cell(row=row + 2, column=1, value="填报人：区招商服务中心综合科    审核人：（签字）    联系电话：0632-xxxxxxx")
    ws.cell(row=row + 3, column=1, value="注：1. 总投资单位为亿元，外资单位为万美元；2. 时间节点填写实际完成时间。")
    widths(ws, {"A": 6, "B": 10, "C": 30, "D": 30, "E": 9, "F": 9, "G": 14, "H": 12, "I": 12, "J": 12, "K": 12,
                "L": 12, "M": 12, "N": 6, "O": 28, "P": 12, "Q": 32, "R": 16, "S": 12, "T": 12, "U": 12, "V": 18,
                **{get_column_letter(j): 12 for j in range(23, width + 1)}})
    ws.freeze_panes = "D5"
    page(ws, "3:4")


def codes() -> dict[str, str]:
    """The key projects' codes as the ledger sheet numbers them (by chain section, then row)."""
    out = {}
    for chain, *_ in CHAINS:
        for p in P:
            if C[p[0]] == chain:
                out[p[1]] = f"ZD-{len(out) + 1:03d}"
    return out


def reviews_sheet(wb) -> None:
    """项目联审: each reviewed project's eight verdicts, one row per criterion under a merged project
    cell, on the day of its joint review (a few weeks before signing; in June for those in negotiation)."""
    rng = random.Random(8)
    ws = wb.create_sheet("项目联审")
    labels = ["序号", "项目编号", "项目名称", "联审标准", "联审结论", "联审日期", "审查单位", "联审意见"]
    title(ws, f"{DISTRICT}招商引资项目联审情况表", len(labels))
    header(ws, 2, labels)
    row = 3
    number = 0
    code_of = codes()
    for chain, *_ in CHAINS:
        for p in (p for p in P if C[p[0]] == chain):
            name, signed = p[1], p[7]
            if name in NOT_REVIEWED:
                continue
            if signed is not None:
                day = parse_date(signed, 2023).first - dt.timedelta(days=rng.randrange(7, 40))
            else:
                day = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randrange(0, 28))
            number += 1
            first = row
            for criterion in CRITERIA[:PARTLY_REVIEWED.get(name, len(CRITERIA))]:
                verdict, opinion = VERDICTS.get(name, {}).get(criterion, ("通过", None))
                lead = [number, code_of[name], name] if row == first else [None, None, None]
                boxed(ws, row, [*lead, criterion, verdict, day.isoformat(), REVIEWERS[criterion], opinion])
                row += 1
            for j in (1, 2, 3):
                ws.merge_cells(start_row=first, start_column=j, end_row=row - 1, end_column=j)
                ws.cell(row=first, column=j).alignment = CENTER
    for i, (_chain, name, *_rest) in enumerate(P2022, 1):  # 2022's projects: passed, three weeks before signing
        day = dt.date.fromisoformat(_rest[5]) - dt.timedelta(days=21)
        number += 1
        first = row
        for criterion in CRITERIA:
            lead = [number, f"ZD22-{i:03d}", name] if row == first else [None, None, None]
            boxed(ws, row, [*lead, criterion, "通过", day.isoformat(), REVIEWERS[criterion], None])
            row += 1
        for j in (1, 2, 3):
            ws.merge_cells(start_row=first, start_column=j, end_row=row - 1, end_column=j)
            ws.cell(row=first, column=j).alignment = CENTER
    widths(ws, {"A": 6, "B": 10, "C": 30, "D": 14, "E": 12, "F": 12, "G": 22, "H": 40})
    ws.freeze_panes = "D3"
    page(ws, "2:2")


def lead_rows() -> tuple[list[list], list[list]]:
    """461 leads: on the leads sheet 229 gathered in the campaign (2023-04-15..06-30), 46 earlier in 2023
    and 20 in 2022; on 2022's own sheet 166 more (so that the campaign's 229 pass 2022's whole year, 186,
    as the seed says). The first 295 are drawn first, as they always were."""
    rng = random.Random(2023)
    used: set[str] = set()
    keys = list(PRODUCTS)
    rows = []

    def day_between(a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=rng.randrange((b - a).days + 1))

    windows = ([(dt.date(2023, 4, 15), dt.date(2023, 6, 30))] * 229 + [(dt.date(2023, 1, 3), dt.date(2023, 4, 14))] * 46
               + [(dt.date(2022, 3, 1), dt.date(2022, 12, 28))] * 20 + [(dt.date(2022, 1, 4), dt.date(2022, 12, 28))] * 166)
    for start, end in windows:
        while True:
            key = rng.choice(keys)
            name = rng.choice(PRODUCTS[key]) + rng.choice(SUFFIXES)
            city, province = rng.choice(CITIES)
            first, second = rng.sample(WORDS, 2)
            investor = f"{city}{first}{second}{INDUSTRY[key]}有限公司"
            if name + investor not in used:
                used.add(name + investor)
                break
        when = day_between(start, end)
        yi = Decimal(rng.choice([5, 8, 10, 12, 15, 20, 30, 35, 50, 60, 80, 100, 150, 200, 300])) / 10
        status = rng.choices(["线索", "跟踪对接", "洽谈中", "在谈"], weights=[70, 12, 12, 6])[0]
        rows.append([name, investor, float(yi), C[key], rng.choice(LEAD_UNITS), province if province != city else city,
                     when, status])
    main, extra = rows[:295], rows[295:]
    main.sort(key=lambda r: (r[6], r[0]))
    extra.sort(key=lambda r: (r[6], r[0]))
    return main, extra


def leads_sheet(wb) -> None:
    ws = wb.create_sheet("项目线索")
    labels = ["序号", "线索名称", "意向投资方", "预计投资（亿元）", "所属产业链", "责任单位", "来源地", "获取时间",
              "跟进状态", "备注"]
    title(ws, f"{DISTRICT}2023年招商引资项目线索台账", len(labels))
    header(ws, 2, labels)
    for i, (name, investor, yi, chain, unit, region, when, status) in enumerate(lead_rows()[0], 1):
        boxed(ws, i + 2, [i, name, investor, yi, chain, unit, region, when.isoformat(), status, None], {4: "0.00"})
    widths(ws, {"A": 6, "B": 28, "C": 30, "D": 10, "E": 18, "F": 18, "G": 8, "H": 12, "I": 10, "J": 10})
    ws.freeze_panes = "C3"
    page(ws, "2:2")


def leads_2022_sheet(wb) -> None:
    ws = wb.create_sheet("2022年项目线索")
    labels = ["序号", "线索名称", "意向投资方", "预计投资（亿元）", "所属产业链", "责任单位", "来源地", "获取时间",
              "跟进状态", "备注"]
    title(ws, f"{DISTRICT}2022年招商引资项目线索台账", len(labels))
    header(ws, 2, labels)
    for i, (name, investor, yi, chain, unit, region, when, status) in enumerate(lead_rows()[1], 1):
        boxed(ws, i + 2, [i, name, investor, yi, chain, unit, region, when.isoformat(), status, None], {4: "0.00"})
    widths(ws, {"A": 6, "B": 28, "C": 30, "D": 10, "E": 18, "F": 18, "G": 8, "H": 12, "I": 10, "J": 10})
    ws.freeze_panes = "C3"
    page(ws, "2:2")


PLANNED = [
    ("高端", "高端装备制造产业园三期", "区产业发展投资集团", "20", "2023-02-10"),
    ("锂电", "新型储能示范电站", "区发展和改革局", "6", "2023-03-06"),
    ("新材", "新材料中试基地", "区科学技术局", "3", "2023-04-20"),
    ("医养", "区域医疗康养中心", "区卫生健康局", "8", "2023-05-09"),
    ("数字", "城市数字底座项目", "区大数据局", "2.5", "2023-05-18"),
    ("物流", "公铁联运物流园", "区交通运输局", "15", "2023-01-16"),
    ("文化", "古运河文化带开发项目", "区文化和旅游局", "12", "2023-06-06"),
    ("绿色", "预制菜产业园", "区农业农村局", "5", "2023-06-13"),
    ("商贸", "城市会客厅商务区", "区商务局", "25", "2023-03-22"),
    ("建筑", "老旧小区改造提升工程", "区住房和城乡建设局", "9", "2023-04-26"),
    ("建筑", "城市更新二期", "区城市建设投资集团", "30", "2023-06-20"),
    ("文化", "乡村旅游示范片区", "区乡村振兴发展集团", "4", "2023-05-30"),
]


def planned_sheet(wb) -> None:
    ws = wb.create_sheet("谋划项目")
    labels = ["序号", "项目编号", "谋划项目名称", "所属产业链", "责任单位", "估算投资（亿元）", "谋划时间", "项目状态",
              "备注"]
    title(ws, f"{DISTRICT}2023年谋划项目库", len(labels))
    header(ws, 2, labels)
    for i, (chain, name, unit, yi, when) in enumerate(PLANNED, 1):
        boxed(ws, i + 2, [i, f"MH-2023-{i:02d}", name, C[chain], unit, money(yi), when, "谋划", None], {6: "0.00"})
    widths(ws, {"A": 6, "B": 12, "C": 28, "D": 18, "E": 20, "F": 12, "G": 12, "H": 10, "I": 10})
    page(ws, "2:2")


def trips_sheet(wb) -> None:
    rng = random.Random(7)
    ws = wb.create_sheet("外出招商")
    labels = ["序号", "外出日期", "单位", "带队领导", "是否主要领导", "目的地", "区域", "走访项目（个）", "参与洽谈（次）",
              "备注"]
    title(ws, f"{DISTRICT}2023年上半年外出招商情况统计表", len(labels))
    header(ws, 2, labels)
    rows = [[when, LEADERSHIP, leader, "是", dest, region, visits, talks, None]
            for when, leader, dest, region, visits, talks in MAIN_TRIPS]
    others = [*TOWNS, "区工业和信息化局", "区商务局", "区发展和改革局", "区城市建设投资集团"]
    for unit in others * 2:
        month = rng.randrange(2, 7)
        when = dt.date(2023, month, rng.randrange(1, 29))
        city, _ = rng.choice(CITIES)
        leader = "党工委书记" if unit.endswith("街道") else "党委书记" if unit.endswith("镇") else \
            "局长" if unit.endswith("局") else "董事长"
        region = {"深圳": "珠三角", "广州": "珠三角", "北京": "京津冀", "天津": "京津冀"}.get(city, "长三角")
        rows.append([when.isoformat(), unit, leader, "否", city, region, rng.randrange(1, 4), rng.randrange(0, 2), None])
    rows.sort(key=lambda r: (r[0], r[1]))
    for i, row in enumerate(rows, 1):
        boxed(ws, i + 2, [i, *row])
    widths(ws, {"A": 6, "B": 12, "C": 20, "D": 12, "E": 12, "F": 10, "G": 10, "H": 14, "I": 14, "J": 10})
    page(ws, "2:2")


def targets_sheet(wb) -> None:
    ws = wb.create_sheet("会战目标")
    labels = ["序号", "会战名称", "开始日期", "结束日期", "责任单位", "新签约项目（个）", "新开工或具备开工条件项目（个）",
              "新增项目线索（条）", "新签约金额（亿元）"]
    title(ws, "市中区招商引资“百日会战”目标任务分解表", len(labels))
    ws.cell(row=2, column=1, value="会战时间：2023年4月15日至7月23日，共100天")
    header(ws, 3, labels)
    units = TOWNS + DEPARTMENTS + SOES
    for i, unit in enumerate(units, 1):
        signed, started, leads, yi = TARGETS[unit]
        first = [i, "百日会战", "2023-04-15", "2023-07-23"] if i == 1 else [i, None, None, None]
        boxed(ws, i + 3, [*first, unit, signed, started, leads, yi])
    last = len(units) + 3
    for j in (2, 3, 4):
        ws.merge_cells(start_row=4, start_column=j, end_row=last, end_column=j)
        ws.cell(row=4, column=j).alignment = CENTER
    boxed(ws, last + 1, ["合计", None, None, None, None] + [f"=SUM({get_column_letter(j)}4:{get_column_letter(j)}{last})"
                                                             for j in range(6, 10)])
    widths(ws, {"A": 6, "B": 12, "C": 12, "D": 12, "E": 20, "F": 12, "G": 16, "H": 12, "I": 14})
    page(ws, "3:3")


def units_sheet(wb) -> None:
    ws = wb.create_sheet("责任单位")
    labels = ["序号", "单位名称", "单位类别", "考核分类", "主要负责人"]
    title(ws, "市中区招商引资责任单位（按官方排序）", len(labels))
    header(ws, 2, labels)
    rows = [(t, "镇街", "一类" if t in FIRST_CLASS else "二类", "党工委书记" if t.endswith("街道") else "党委书记")
            for t in TOWNS]
    rows += [(d, "部门", "一类", "局长") for d in DEPARTMENTS]
    rows += [(s, "国企", "二类", "董事长") for s in SOES]
    rows += [(LEADERSHIP, "区领导", None, "区委书记、区长")]
    for i, (name, kind, klass, leader) in enumerate(rows, 1):
        boxed(ws, i + 2, [i, name, kind, klass, leader])
    widths(ws, {"A": 6, "B": 24, "C": 10, "D": 10, "E": 16})
    page(ws, "2:2")


def chains_sheet(wb) -> None:
    ws = wb.create_sheet("产业链")
    labels = ["序号", "产业链名称", "链长", "链主企业", "牵头部门"]
    title(ws, "市中区重点产业链“链长制”责任分工", len(labels))
    header(ws, 2, labels)
    for i, (name, chief, anchor, lead) in enumerate(CHAINS, 1):
        boxed(ws, i + 2, [i, name, chief, anchor, lead])
    widths(ws, {"A": 6, "B": 20, "C": 24, "D": 30, "E": 20})
    page(ws, "2:2")


def settings_sheet(wb) -> None:
    ws = wb.create_sheet("账本设置")
    header(ws, 1, ["设置项", "设置值"])
    boxed(ws, 2, ["district", DISTRICT])
    widths(ws, {"A": 14, "B": 20})


# 2022's key projects, all started (or producing) by the end of 2022 — so that 2023's bulletins have a
# year to compare with (同比), none of them stalled or overdue in 2023. (chain, name, investor, 亿元, 万美元,
# unit, stage word, signed, started, produced, 入库)
P2022 = [
    ("高端", "液压件智能制造项目", "山东恒力液压有限公司", "6", None, "税郭镇", "在建", "2022-02-16", "2022-04-08", None, "2022年5月"),
    ("锂电", "储能变流器生产项目", "合肥阳明电气有限公司", "4.5", None, "孟庄镇", "在建", "2022-03-09", "2022-05-20", None,
     "2022年6月"),
    ("新材", "特种涂料项目", "上海漆彩新材料有限公司", "2.4", None, "齐村镇", "已投产", "2022-04-18", "2022-05-26",
     "2022-11-30", "2022年6月"),
    ("医养", "康复辅具生产项目", "青岛安康康复器械有限公司", "1.6", None, "光明路街道", "在建", "2022-04-27", "2022-06-29",
     None, "2022年8月"),
    ("数字", "软件外包服务中心", "济南云途软件有限公司", "1.2", None, "区大数据局", "在建", "2022-05-11", "2022-07-15",
     None, None),
    ("物流", "城乡配送中心项目", "山东快运达物流有限公司", "3.3", None, "永安镇", "在建", "2022-05-23", "2022-08-02",
     None, "2022年9月"),
    ("绿色", "果蔬深加工项目", "烟台鲜果农业科技有限公司", "2.8", None, "西王庄镇", "已投产", "2022-06-08", "2022-07-12",
     "2022-12-20", "2022年8月"),
    ("文化", "非遗文创园项目", "枣庄古城文旅发展有限公司", "1.5", None, "文化路街道", "在建", "2022-06-20", "2022-09-06",
     None, None),
    ("商贸", "社区商业中心项目", "枣庄万和置业有限公司", "5", None, "中心街街道", "在建", "2022-06-28", "2022-06-30", None,
     "2022年7月"),
    ("建筑", "绿色建材加工项目", "徐州新筑建材有限公司", "2", None, "矿区街道", "在建", "2022-07-14", "2022-09-20", None,
     "2022年10月"),
    ("高端", "德国精工传动件项目", "德国莱茵传动技术有限公司", "/", 1200, "区商务局", "在建", "2022-08-03", "2022-10-18",
     None, "2022年11月"),
    ("锂电", "电池回收拆解项目", "江西赣锋循环科技有限公司", "7.8", None, "齐村镇", "在建", "2022-08-25", "2022-11-08",
     None, "2022年12月"),
    ("医养", "医疗耗材配送中心", "山东康洁医疗用品有限公司", "0.8", None, "矿区街道", "在建", "2022-09-14", "2022-10-10",
     None, None),
    ("数字", "智慧城市运营中心", "山东云泽数字科技有限公司", "3", None, "区城市建设投资集团", "在建", "2022-10-19",
     "2022-12-05", None, "2022年12月"),
]

# 实际到位资金 (万元; 外资 in 万美元) of the key projects, in the columns offices add to their ledgers: 2022
# as the year's running totals with some months apart, 2023 to June beside the 入库 date.
FUNDS_2022 = [  # code, 1-3月累计, 4月, 5月, 6月, 1-12月累计
    ("ZD22-001", 3000, 1200, 800, 1000, 12000),
    ("ZD22-002", 1500, 600, 900, 500, 8000),
    ("ZD22-003", None, 800, 1200, 600, 5200),
    ("ZD22-004", None, None, 300, 500, 2600),
    ("ZD22-006", None, None, 1000, 800, 5000),
    ("ZD22-007", None, None, None, 1500, 4500),
    ("ZD22-009", None, None, None, 2000, 6000),
    ("ZD22-010", None, None, None, None, 3000),
    ("ZD22-012", None, None, None, None, 9000),
]
FUNDS_2022_USD = [("ZD22-011", 200, 600)]  # code, 6月, 1-12月累计 (万美元)
FUNDS_LABELS_2023 = ["1-3月累计到位（万元）", "4月到位（万元）", "5月到位（万元）", "6月到位（万元）", "1-6月累计到位（万元）",
                     "1-6月累计到位外资（万美元）", "入库时间"]
FUNDS_2023_ROWS = [  # name, 1-3月累计, 4月, 5月, 6月, 1-6月累计, 外资 1-6月累计 (万美元), 入库
    ("中环智能制造产业园", 20000, 8000, 6000, 12000, 46000, None, "2023-06"),
    ("万达广场", 6000, 3000, 2000, 4000, 15000, None, "2023-06"),
    ("晟达菲尔高端乳制品产业园", None, 2000, 3000, 5000, 10000, None, "2023-06"),
    ("锂电隔膜材料项目", 5000, 1500, 1500, 3000, 11000, None, "2023-06"),
    ("高端医疗器械产业园", 3000, 1000, 1000, 2000, 7000, None, None),
    ("年产10万吨锂电正极材料项目", None, 1000, 3000, 4000, 8000, None, "2023-06"),
    ("智能网联汽车零部件项目", None, None, 1500, 1500, 3000, None, "2023-06"),
    ("中医药大健康产业园", None, None, 800, 2200, 3000, None, None),
    ("精密模具产业园项目", 1000, 1000, 2000, 1000, 5000, None, "2023-05"),
    ("数控机床关键部件项目", 800, 400, 600, 700, 2500, None, "2023-05"),
    ("智能仓储机器人项目", 2000, 1000, 1000, 1000, 5000, None, None),
    ("大数据灾备中心项目", 1500, 500, 500, 500, 3000, None, None),
    ("城市更新综合开发项目", 12000, 5000, 4000, 6000, 27000, None, None),
    ("韩国大成精细化工项目", None, None, None, None, None, 900, "2023-04"),
    ("中日合资智能传感器项目", 600, 300, 300, 300, 1500, 400, "2023-03"),
]
FUNDS_2023 = {name: rest for name, *rest in FUNDS_2023_ROWS}


def projects_2022_sheet(wb) -> None:
    ws = wb.create_sheet("2022年重点项目")
    labels = ["序号", "项目编号", "项目名称", "投资方", "总投资（亿元）", "外资（万美元）", "所属产业链", "责任单位", "项目阶段",
              "签约时间", "开工时间", "投产时间", "入库纳统时间", "1-3月累计到位（万元）", "4月到位（万元）", "5月到位（万元）",
              "6月到位（万元）", "1-12月累计到位（万元）", "6月到位外资（万美元）", "1-12月累计到位外资（万美元）"]
    title(ws, f"{DISTRICT}2022年招商引资重点项目台账", len(labels))
    header(ws, 2, labels)
    funds = {code: [*figures, None, None] for code, *figures in FUNDS_2022}
    funds.update({code: [None] * 5 + [june, year] for code, june, year in FUNDS_2022_USD})
    for i, (chain, name, investor, yi, usd, unit, stage, signed, started, produced, registered) in enumerate(P2022, 1):
        code = f"ZD22-{i:03d}"
        boxed(ws, i + 2, [i, code, name, investor, money(yi), usd, C[chain], unit, stage, signed, started,
                          produced, registered, *funds.get(code, [None] * 7)], {5: "0.00"})
    widths(ws, {"A": 6, "B": 10, "C": 26, "D": 28, "E": 10, "F": 10, "G": 16, "H": 16, "I": 10, "J": 12, "K": 12,
                "L": 12, "M": 12, **{get_column_letter(j): 12 for j in range(14, 21)}})
    page(ws, "2:2")


def build() -> bytes:
    wb = Workbook()
    notes_sheet(wb)
    ledger_sheet(wb)
    leads_sheet(wb)
    planned_sheet(wb)
    projects_2022_sheet(wb)  # after the sheets of 2023, whose rows keep the ids (and P- codes) they had
    leads_2022_sheet(wb)
    trips_sheet(wb)
    reviews_sheet(wb)
    targets_sheet(wb)
    units_sheet(wb)
    chains_sheet(wb)
    settings_sheet(wb)
    wb.properties.creator = "区招商服务中心"
    wb.properties.created = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    return normalise(buf.getvalue())


def normalise(data: bytes) -> bytes:
    """Fixed timestamps in the zip entries and in docProps/core.xml: the same bytes on every run."""
    out = io.BytesIO()
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return out.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUT
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
