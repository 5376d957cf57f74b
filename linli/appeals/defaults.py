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
