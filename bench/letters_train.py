"""Writes linli/appeals/routing/data/letters_train.jsonl: long formal letters for TRAINING the router (issue 21), so
it learns to read a letter to the leadership or a 12345 transfer sheet, not just a chat message.

    .venv/bin/python bench/letters_train.py          # rewrites the file (seeded: the same file every time)

Each letter wraps one problem in the genre's frame: an address, where the writer lives, the history of earlier
complaints (which often names other departments: 12345, 住建, 城管, the property company), how long it has lasted,
how people feel, a request and a closing. The problems are (a) the shipped short appeals of train.jsonl, a sample per
unit, and (b) the boundary cases issue 21 found misrouted, written here from shared/guide/handling-units.md and public
12345 practice (which department takes which sheet): a fault inside a managed compound written to "the government"
(the property company fixes it; 住建 only for the company's conduct and fees), disputes between households
(mediation), crimes and public order (police).

Its banks are its own: bench/letters_heldout.py writes the held-out letters with different phrases, and the tests
check that no bank entry is shared and that no held-out letter is near-identical to a training text.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from letters_file import write_letters  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "linli" / "appeals" / "routing" / "data"
OUT = DATA / "letters_train.jsonl"
SEED = 21
PER_UNIT = 45  # short appeals of train.jsonl wrapped as letters, per unit

# Boundary cases (issue 21), per unit; "{x}" is the compound's name.
BOUNDARY: dict[str, list[str]] = {
    "property": [
        "{x}4号楼的电梯三天两头出故障，按钮失灵、平层不准，住高层的老人根本不敢坐",
        "{x}的单元门锁坏了半年，门一推就开，晚上常有外人进楼",
        "{x}楼里的下水主管道堵了，一楼卫生间往外冒粪水",
        "{x}的楼道照明灯坏了一大半，楼梯又陡，前几天有老人踩空摔伤",
        "{x}小区里的生活垃圾堆在楼下好几天没人收，天热了臭得开不了窗",
        "{x}小区内部道路乱停车，私家车把单元门口都堵了，救护车都开不进来",
        "{x}的地下停车场排风系统一直关着，空气污浊，闷得喘不过气",
        "{x}小区内的树木长疯了，树枝扫着二楼窗户，蚊虫特别多",
        "{x}的小区大门电动伸缩门坏了，一直半开着，谁都能进",
        "{x}楼顶的通道门没有上锁，小孩经常跑到屋顶上去",
        "{x}的电梯轿厢里灯不亮、风扇不转，上个月还困过人",
        "{x}小区里的路面砖松动积水，物业一直没有维修",
    ],
    "housing": [
        "{x}的物业公司私自提高停车管理费，没有开业主大会，也没有公示",
        "{x}的物业公司服务缩水却照样收全额物业费，业委会要求公开账目被拒",
        "{x}的物业公司把公共维修资金挪作他用，业主查不到去向",
        "{x}老旧小区改造的雨污分流工程做了一半就停工了，路面挖开至今没恢复",
        "{x}是上世纪八十年代的老房子，墙体开裂，楼梯扶手松脱，担心成了危房",
        "{x}老楼加装电梯的方案公示了一年，补贴政策一直没落地",
        "{x}的物业公司合同已经到期，业主大会决定更换物业，原物业却赖着不走",
        "公租房分配摇号的结果没有公示，我们怀疑有暗箱操作",
        "{x}的物业公司违规收取业主的装修垃圾清运费和出入证押金",
    ],
    "mediation": [
        "楼上住户半夜还在用洗衣机甩干，咚咚声震得我家睡不着觉，上门说了也没用",
        "我家和隔壁因为门口公共过道放鞋柜的事吵了好几次，差点动手，报警后民警说是邻里纠纷",
        "楼上的空调外机冷凝水天天滴在我家阳台上，找对方协商被拒绝",
        "邻居家的猫经常跑到我家阳台上拉屎，跟他们说了几次都不管",
        "我家兄妹三人为老母亲的赡养问题争执不下，母亲现在没人照顾",
        "楼上新搬来的住户装修时把防水层破坏了，我家卫生间顶棚天天滴水，对方拒绝赔偿",
        "对门邻居在楼道里抽烟，烟味全部飘进我家，孩子咳嗽不止",
        "父亲去世后留下的存款，几个兄弟姐妹为分遗产闹上了法庭之前想先调解",
        "隔壁邻居的孩子每天深夜弹琴，我们和家长沟通，对方说在自己家想怎样就怎样",
    ],
    "police": [
        "{x}附近的一家棋牌室天天有人聚赌，输了钱的人在门口吵闹打架",
        "有人冒充银行客服打电话给我父亲，以注销贷款为名骗走了五万元",
        "{x}楼下停放的电动车电瓶接连被人偷走，监控拍到了人影",
        "每到半夜就有一群人开着改装车在马路上飙车，发动机轰鸣扰民",
        "初中门口经常有社会闲散人员拦截学生，抢手机抢钱",
        "一伙人在菜场门口摆摊玩骗局，专门骗路过的老人下注",
        "{x}附近有人遛大型犬不牵绳，狗扑倒了一位老人",
        "夜市大排档有醉酒的人闹事，掀桌子打人，摊主不敢管",
        "我想给刚出生的孩子上户口，跑了三趟都没办下来",
        "我的居民身份证过期了，想知道在哪里换领",
        "最近有陌生人在{x}里挨家挨户敲门，说是查燃气的，形迹很可疑",
    ],
}

# The genre's frame, this generator's own wording.
ADDRESSES = [
    "各位领导：你们好。",
    "致市长信箱：",
    "区领导：",
    "尊敬的街道办领导：",
    "亲爱的市长：",
    "书记、市长：",
    "有关部门负责同志：",
    "【12345工单】来电诉求：",
    "网友留言：",
    "",
]
RESIDENCE = [
    "我是一名普通市民，居住在{d}{x}。",
    "我系{d}{x}的一名住户。",
    "本人家住{d}{x}{n}号楼，",
    "我们一家住在{d}{x}已经十多年了，",
    "我是{x}的业主，也是一名退休职工。",
    "笔者居住在{d}{x}，",
    "我姓{s}，是{d}{x}的居民，",
    "",
]
EARLIER = [
    "前后找了居委会三四回，每次都说在协调。",
    "12345的工单也提交了，回访时我们表示不满意，结果工单就被办结了。",
    "住建局和城管局我们都打过电话，两边互相推，谁也不管。",
    "上个月在网上留言，回复说已转相关部门，之后就没有然后了。",
    "此前向街道反映，工作人员答应过来看看，可一直没人来。",
    "物业那边说要请示，请示了半年也没结果。",
    "已经多次拨打热线电话，接线员很客气，但问题始终没解决。",
    "我们还去信访办反映过，得到的答复是正在研究。",
    "找派出所，派出所说不是他们的事；找社区，社区说没有执法权。",
    "",
]
DURATION = [
    "这种状况已经持续了好几个月。",
    "从去年冬天到现在，一直都是这样。",
    "前前后后拖了快两年。",
    "问题由来已久，一直得不到根治。",
]
FEELING = [
    "大家心里都很窝火。",
    "群众意见非常大。",
    "我们已经忍无可忍了。",
    "老人们每天都在唉声叹气。",
    "实在是没有办法了才写这封信。",
    "我们对此非常失望。",
]
REQUEST = [
    "希望尽快落实整改，感激不尽。",
    "请求领导督办，给我们一个满意的答复。",
    "希望有关部门不要再推来推去了。",
    "恳切希望早日解决。",
    "望相关部门依法依规处理。",
]
CLOSING = [
    "谢谢！",
    "以上情况属实，请予核查。",
    "期待您的回复。",
    "致以崇高的敬意！",
    "一个普通市民",
    "",
]
ASIDE = [
    "再提一点，我们那里的快递柜也老是满的。",
    "附带说一句，附近菜场的早市有点吵。",
    "另外，小区外的指示牌有些歪了。",
    "",
    "",
    "",
    "",
]
DISTRICTS = ["城东区", "城西区", "高新区", "经开区", "滨湖区", "北湖区"]
COMPOUNDS = ["长青苑", "云景小区", "书香门第", "南山公寓", "绿洲花园", "红旗新村", "梧桐里", "天鹅湖小区"]
SURNAMES = ["王", "李", "赵", "孙", "郑", "何"]


def letter(rng: random.Random, problem: str) -> str:
    x = rng.choice(COMPOUNDS)
    fill = {"d": rng.choice(DISTRICTS), "x": x, "n": rng.randint(1, 40), "s": rng.choice(SURNAMES)}
    problem = problem.format(x=x).rstrip("。！!？?，, ") + "。"
    history = rng.sample([h for h in EARLIER if h], k=rng.choice((0, 1, 1, 2, 3)))
    middle = [*rng.sample(DURATION, k=rng.choice((0, 1))), *rng.sample(FEELING, k=rng.choice((0, 1, 2)))]
    head = [rng.choice(ADDRESSES), rng.choice(RESIDENCE).format(**fill)]
    cut = rng.randint(0, len(history))  # the problem may come before, within or after the history
    body = [*history[:cut], problem, *history[cut:], *middle]
    tail = [rng.choice(ASIDE), rng.choice(REQUEST), rng.choice(CLOSING)]
    return "".join(p for p in (*head, *body, *tail) if p)


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    short: dict[str, list[str]] = defaultdict(list)
    with open(DATA / "train.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if len(row["text"]) >= 12:  # a letter states its matter in a sentence, not two words
                    short[row["unit"]].append(row["text"])
    rows = []
    for unit in sorted(short):
        picked = rng.sample(short[unit], k=min(PER_UNIT, len(short[unit])))
        rows += [{"text": letter(rng, p), "unit": unit} for p in picked]
    for unit, problems in BOUNDARY.items():
        for p in problems:  # each boundary case in two different frames
            rows += [{"text": letter(rng, p), "unit": unit} for _ in range(2)]
    rng.shuffle(rows)
    return rows


def banks() -> list[str]:
    """Every phrase this generator adds (tests: none is shared with the held-out letters' generator)."""
    return [
        *(p for ps in BOUNDARY.values() for p in ps),
        *ADDRESSES,
        *RESIDENCE,
        *EARLIER,
        *DURATION,
        *FEELING,
        *REQUEST,
        *CLOSING,
        *ASIDE,
    ]


def main() -> None:
    write_letters(OUT, build())


if __name__ == "__main__":
    sys.exit(main())
