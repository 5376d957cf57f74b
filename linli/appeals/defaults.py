"""The default directory a new installation starts with: handling units (shared/guide/handling-units.md)
and problem categories, each category with its default unit. Codes are stable; names are editable.

Deadline defaults (issue 5): sign within 1 working day; resolve 紧急 in 2 hours, 急办 in 24 hours,
一般 in 7 working days, 复杂 in 15 working days; reply within 2 working days of resolution.
"""

# code, 名称, handles, not this unit
UNITS = [
    (
        "community",
        "社区居委会",
        "居住证明等证明、政策咨询和申请协助、社区活动、课堂和兴趣队、四点半学校、志愿服务报名、社区自管设施（活动室、共享晾晒区）、需要社区协调的事",
        "邻里纠纷（找人民调解）",
    ),
    (
        "property",
        "物业服务企业",
        "小区和楼内公共部位：楼道灯、电梯、单元门和门禁、楼内管道堵塞、小区保洁和垃圾、小区内停车秩序、大门道闸、小区绿化、天台门、地下车库通风",
        "对物业公司本身的投诉（找住建房管）",
    ),
    (
        "mediation",
        "人民调解",
        "住户之间或家庭内部的纠纷：楼上漏水、邻居噪音、宠物、油烟、楼道公共空间占用、赡养老人、继承、邻居装修造成的损坏",
        "",
    ),
    (
        "urban_mgmt",
        "城管综合执法",
        "私搭乱建（违章加建、楼顶加层）、流动摊贩、小广告、超大招牌、建筑垃圾和渣土车、餐馆油烟、夜间施工噪音、井盖缺失破损、路灯、道路保洁",
        "",
    ),
    (
        "water",
        "水务",
        "停水、水压低、水质、主管爆裂、水表、市政排水和污水管、道路积水、雨水箅子",
        "楼内管道堵塞（找物业）",
    ),
    (
        "landscaping",
        "园林绿化",
        "道路和公园的树木绿化：修剪、枯树倒树、树根拱起人行道、草坪、花坛、公园座椅和设施、杨柳絮",
        "小区内绿化（找物业）",
    ),
    (
        "police",
        "公安派出所",
        "盗窃、诈骗、可疑人员、打架、流浪犬和危险犬只、陌生人夜间滋扰（不是邻居）、飙车、户口和身份证",
        "",
    ),
    (
        "housing",
        "住建房管",
        "老旧小区改造的范围、进度和质量；老楼加装电梯；危房（裂缝）、改造范围内的屋顶漏水；公租房廉租房；对物业公司的投诉",
        "",
    ),
    (
        "civil_affairs",
        "民政",
        "低保、特困和临时救助、高龄和护理补贴、居家养老服务、养老院床位、丧葬补贴",
        "残疾证和残疾人补贴（找残联）",
    ),
    ("disability", "残联", "残疾证办理、残疾人补贴、康复、辅助器具、残疾人就业帮扶", ""),
    (
        "hr_social",
        "人社",
        "就业和招聘会、失业登记和失业金、养老保险资格和缴费、养老金发放、社保卡、拖欠工资、技能培训",
        "",
    ),
    ("health", "卫健医保", "社区卫生服务站、家庭医生、疫苗接种、免费体检、传染病、医保参保和报销", ""),
    ("power", "供电", "停电、电压不稳、电表和电费、电线掉落、变压器、充电桩建设和维修", "楼道里给电动车充电（找消防）"),
    ("heating_gas", "供热燃气", "暖气不热、暖气管漏水、供暖费和报停、燃气异味和泄漏、燃气开通、燃气表和燃气费", ""),
    (
        "fire",
        "消防",
        "楼道停放或充电的电动车、飞线充电、消防通道和安全出口堵塞、锁闭出口、防火门、消火栓、灭火器、应急灯、烟感报警器、地下室住人",
        "",
    ),
    (
        "market",
        "市场监管",
        "食品安全、过期商品、缺斤短两、价格欺诈、无证作坊、假冒商品、商家关门后的预付卡、虚假保健宣传",
        "",
    ),
    (
        "traffic",
        "交通运输与交管",
        "道路路面（坑洼、塌陷）、红绿灯、人行横道、减速带、护栏、过街天桥、公交线路和站点、公共道路违停",
        "小区内停车（找物业）；消防通道（找消防）",
    ),
    (
        "education",
        "教育",
        "学位和学区、入学和转学、学校收费、学校食堂、校园欺凌、特殊教育",
        "社区办的四点半学校（找社区）",
    ),
]

# code, 名称, unit code, default urgency
CATEGORIES = [
    ("certificate", "证明开具", "community", "normal"),
    ("policy", "政策咨询", "community", "normal"),
    ("activity", "社区活动与志愿服务", "community", "normal"),
    ("community_facility", "社区设施", "community", "normal"),
    ("corridor_light", "楼道照明", "property", "normal"),
    ("lift", "电梯故障", "property", "expedited"),
    ("door_access", "单元门与门禁", "property", "normal"),
    ("pipe_blockage", "楼内管道堵塞", "property", "expedited"),
    ("cleaning", "小区保洁与垃圾", "property", "normal"),
    ("compound_parking", "小区停车秩序", "property", "normal"),
    ("compound_green", "小区绿化", "property", "normal"),
    ("neighbour_leak", "楼上漏水", "mediation", "normal"),
    ("neighbour_noise", "邻里噪音与宠物", "mediation", "normal"),
    ("family_dispute", "家庭纠纷", "mediation", "complex"),
    ("illegal_building", "私搭乱建", "urban_mgmt", "complex"),
    ("vendors_ads", "摊贩与小广告", "urban_mgmt", "normal"),
    ("manhole", "井盖缺失破损", "urban_mgmt", "urgent"),
    ("street_light", "路灯", "urban_mgmt", "normal"),
    ("night_construction", "夜间施工噪音", "urban_mgmt", "expedited"),
    ("water_outage", "停水与水压", "water", "expedited"),
    ("water_quality", "水质", "water", "expedited"),
    ("drainage", "市政排水与积水", "water", "expedited"),
    ("tree", "道路树木", "landscaping", "normal"),
    ("park", "公园设施与绿地", "landscaping", "normal"),
    ("theft_fraud", "盗窃与诈骗", "police", "expedited"),
    ("public_order", "治安与滋扰", "police", "expedited"),
    ("hukou", "户口与身份证", "police", "normal"),
    ("renovation", "老旧小区改造", "housing", "complex"),
    ("lift_install", "加装电梯", "housing", "complex"),
    ("unsafe_building", "房屋安全与漏雨", "housing", "expedited"),
    ("property_complaint", "投诉物业公司", "housing", "normal"),
    ("relief", "低保与救助", "civil_affairs", "normal"),
    ("elderly_care", "养老服务与补贴", "civil_affairs", "normal"),
    ("disability_support", "残疾人证件与补贴", "disability", "normal"),
    ("employment", "就业与失业", "hr_social", "normal"),
    ("pension", "养老保险与社保卡", "hr_social", "normal"),
    ("wages", "拖欠工资", "hr_social", "complex"),
    ("medical", "医疗与医保", "health", "normal"),
    ("power_outage", "停电与电力设施", "power", "expedited"),
    ("charging_post", "充电桩", "power", "normal"),
    ("heating", "供暖", "heating_gas", "expedited"),
    ("gas", "燃气", "heating_gas", "urgent"),
    ("ebike_fire", "电动车违规停放充电", "fire", "expedited"),
    ("fire_safety", "消防设施与通道", "fire", "expedited"),
    ("food_market", "食品安全与市场", "market", "normal"),
    ("prepaid_card", "预付卡与消费纠纷", "market", "normal"),
    ("road", "道路与交通设施", "traffic", "normal"),
    ("public_parking", "道路违停", "traffic", "normal"),
    ("bus", "公交线路与站点", "traffic", "normal"),
    ("school", "入学与学校", "education", "normal"),
]


def install_default_directory(HandlingUnit, Category) -> None:
    """Create the default units and categories that are missing; never overwrite an administrator's edits."""
    units = {}
    for order, (code, name, handles, not_handles) in enumerate(UNITS, start=1):
        units[code], _ = HandlingUnit.objects.get_or_create(
            code=code, defaults={"name": name, "handles": handles, "not_handles": not_handles, "sort": order * 10}
        )
    for order, (code, name, unit, urgency) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "unit": units[unit], "default_urgency": urgency, "sort": order * 10}
        )


#: Words residents use for each category (issue 14: the category is suggested with the unit). Written from the
#: units' "负责事项" above and the categories' names, not from the held-out texts; the category suggestion
#: (linli.appeals.routing.categories) scores a text against these within the suggested unit.
CATEGORY_KEYWORDS = {
    "certificate": "证明 开证明 居住证明 开具 盖章 无犯罪 证明材料 户籍证明 亲属关系",
    "policy": "政策 咨询 申请 怎么办理 怎么申请 补贴政策 党员 党费 组织关系 流程 需要什么材料",
    "activity": "活动 志愿 报名 课堂 兴趣 舞蹈 合唱 读书会 四点半 托管 培训班 老年大学 场地",
    "community_facility": "活动室 晾晒 社区设施 健身器材 阅览室 空调 桌椅 社区服务中心 便民",
    "corridor_light": "楼道灯 照明 灯不亮 灯坏 声控灯 感应灯 灯泡 楼梯灯 黑灯",
    "lift": "电梯 困人 关人 电梯门 停运 电梯坏",
    "door_access": "单元门 门禁 门锁 防盗门 刷卡 门禁卡 对讲 大门关不上 门坏",
    "pipe_blockage": "堵塞 下水道 管道 堵了 返水 冒水 化粪池 排污 马桶 地漏 污水管",
    "cleaning": "垃圾 保洁 清运 卫生 脏 臭 垃圾桶 打扫 老鼠 蟑螂 蚊子",
    "compound_parking": "小区停车 乱停 车位 停车位 占车位 僵尸车 道闸 车库",
    "compound_green": "小区绿化 草坪 修剪 树 绿地 杂草 花坛 小区里的树",
    "neighbour_leak": "楼上漏水 渗水 漏到 天花板 卫生间漏 楼上 滴水 水渍",
    "neighbour_noise": "噪音 吵 装修 宠物 狗叫 狗 猫 油烟 占用楼道 堆放 邻居 跳 广场舞",
    "family_dispute": "赡养 继承 家庭 子女 老人不管 儿子 女儿 离婚 遗产 房产纠纷 家暴 吵架",
    "illegal_building": "违建 违章 私搭乱建 加建 搭建 楼顶加层 围墙 阳光房 圈地",
    "vendors_ads": "摊贩 小广告 摆摊 流动 招牌 占道经营 贴广告 发传单",
    "manhole": "井盖 窨井 缺失 掉下去 盖子",
    "street_light": "路灯 街灯 马路上的灯",
    "night_construction": "夜间施工 半夜施工 工地 施工噪音 渣土车 建筑垃圾 打桩",
    "water_outage": "停水 没水 水压 水小 水表 爆管 爆裂 自来水",
    "water_quality": "水质 水黄 浑浊 有味道 水有异味 锈水 水不干净",
    "drainage": "积水 排水 雨水 淹 内涝 雨水箅子 下水井 市政管网",
    "tree": "树 倒树 枯树 树枝 修剪 树根 行道树 杨絮 柳絮 飞絮",
    "park": "公园 座椅 绿地 草坪 花坛 游园 公园设施",
    "theft_fraud": "被盗 偷 盗窃 诈骗 骗 丢了 电信诈骗 失窃 撬",
    "public_order": "打架 可疑 滋扰 流浪狗 飙车 醉酒 闹事 陌生人 砸",
    "hukou": "户口 身份证 迁户 落户 户籍",
    "renovation": "老旧小区改造 改造 施工质量 进度 外墙 管网改造",
    "lift_install": "加装电梯 装电梯 加梯",
    "unsafe_building": "裂缝 危房 屋顶漏水 漏雨 墙体 塌 房屋安全 顶楼漏",
    "property_complaint": "投诉物业 物业不作为 物业费 物业公司 物业态度",
    "relief": "低保 救助 特困 困难 临时救助 补助",
    "elderly_care": "养老 高龄 护理补贴 居家养老 养老院 助餐 老年食堂 丧葬",
    "disability_support": "残疾 残疾证 轮椅 辅具 康复",
    "employment": "就业 失业 招聘 找工作 培训 技能 失业金",
    "pension": "养老保险 社保 社保卡 养老金 退休金 认证 缴费",
    "wages": "拖欠工资 欠薪 工资 讨薪 不发工资",
    "medical": "医保 报销 医院 卫生服务 家庭医生 疫苗 体检 看病",
    "power_outage": "停电 没电 跳闸 电压 电表 电费 电线 变压器 供电",
    "charging_post": "充电桩 充电站 新能源 充电",
    "heating": "暖气 供暖 不热 采暖 暖气片 供暖费 报停",
    "gas": "燃气 煤气 天然气 漏气 燃气表 气味",
    "ebike_fire": "电动车 电瓶车 飞线 充电 楼道停车 推上楼",
    "fire_safety": "消防 通道 安全出口 消火栓 灭火器 烟感 应急灯 防火门 地下室住人",
    "food_market": "食品 过期 缺斤短两 变质 无证 假货 价格 小作坊 超市",
    "prepaid_card": "预付卡 办卡 跑路 退费 会员卡 健身房 理发店 消费纠纷",
    "road": "路面 坑 塌陷 红绿灯 信号灯 斑马线 人行道 减速带 护栏 天桥",
    "public_parking": "违停 乱停车 占道停车 马路停车 路边停车",
    "bus": "公交 站点 线路 公交车 班次 站牌",
    "school": "学校 入学 转学 学位 学区 上学 欺凌 食堂 幼儿园",
}
