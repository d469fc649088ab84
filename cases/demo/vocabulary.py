"""Words the demo data generator (``cases/demo/generator.py``) builds names, products and places from."""

from __future__ import annotations

from dataclasses import dataclass

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Quốc", "Hoàng", "Kim", "Thành")
GIVEN_NAMES = (
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Đức",
    "Giang",
    "Hạnh",
    "Hiếu",
    "Hùng",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thịnh",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
)

#: Auspicious words shop and company names are made of.
TRADE_WORDS = (
    "Phước Thịnh",
    "Thành Đạt",
    "Kim Hưng",
    "Hòa Bình",
    "Phú Quý",
    "Tân Phát",
    "Minh Khang",
    "Đại Lộc",
    "Vạn Thành",
    "Hưng Thịnh",
    "Thuận Phát",
    "Mỹ Hạnh",
    "Ngọc Thủy",
    "Phát Đạt",
    "An Khang",
    "Bảo Tín",
    "Hải Âu",
    "Trường Giang",
    "Cửu Long",
    "Sông Hậu",
)

STREETS = (
    "Trần Hưng Đạo",
    "Nguyễn Trung Trực",
    "Lý Thái Tổ",
    "Hùng Vương",
    "Tôn Đức Thắng",
    "Quốc lộ 91",
    "Quốc lộ 80",
    "Lê Lợi",
    "Nguyễn Huệ",
    "Ung Văn Khiêm",
)

#: Names of a pattern: ``{w}`` a trade word, ``{p}`` a person's name, ``{c}`` a commune.
Pattern = tuple[str, str]  # (business type, name pattern)
#: A lot of prepackaged goods as it is labelled: (product, nominal quantity Qn, unit).
Lot = tuple[str, float, str]


@dataclass(frozen=True)
class Trade:
    """What an establishment of a trade is checked for: the fields of inspection (weighted), the products
    of each field, its measuring instruments, its prepackaged lots, what it may sell online and the survey
    campaigns (by field) its establishments are sampled in. Every check of the demo data comes from its
    establishment's trade, so that no fuel station is checked for coconut candy."""

    key: str
    weight: int  # how common the trade is among establishments
    patterns: tuple[Pattern, ...]
    fields: tuple[tuple[str, int], ...]
    products: dict[str, tuple[str, ...]]  # field → products checked under it
    product_group: str  # the goods' product group (the goods form's suggestions)
    standards: tuple[str, ...] = ("TCVN 5603:2008",)  # what its samples are tested against
    instruments: tuple[str, ...] = ()
    lots: tuple[Lot, ...] = ()
    online: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()


FUEL = ("Xăng RON 95-III", "Xăng E5 RON 92-II", "Dầu diesel 0,05S-II")
GOLD = ("Nhẫn vàng 18K", "Nhẫn tròn trơn vàng 9999", "Dây chuyền vàng 24K", "Bông tai vàng 14K")
SPECIALTIES = ("Nước mắm cá cơm", "Kẹo dừa", "Bánh phồng tôm", "Khô cá lóc", "Mắm cá linh", "Bánh pía")
RICE = ("Gạo thơm Jasmine", "Gạo ST25")

TRADES: tuple[Trade, ...] = (
    Trade(
        "fuel_station",
        14,
        (
            ("household", "Cửa hàng xăng dầu {w}"),
            ("branch", "Chi nhánh Công ty Xăng dầu {w} tại {c}"),
            ("enterprise", "Công ty Cổ phần Xăng dầu {w}"),
        ),
        (("fuel", 6), ("instruments", 3), ("quality", 2)),
        {"fuel": FUEL, "instruments": FUEL, "quality": (*FUEL, "Khí dầu mỏ hóa lỏng (LPG)")},
        "xăng dầu",
        standards=("TCVN 6776:2018", "TCVN 5689:2018", "QCVN 01:2022/BKHCN"),
        instruments=("fuel_pump", "fuel_pump", "fuel_pump", "lpg_dispenser", "tank_gauge"),
        campaigns=("fuel",),
    ),
    Trade(
        "gold_shop",
        8,
        (("household", "Tiệm vàng {w}"), ("enterprise", "Doanh nghiệp tư nhân Vàng bạc {w}")),
        (("gold", 6), ("instruments", 2), ("label", 2)),
        {"gold": GOLD, "instruments": GOLD, "label": GOLD},
        "vàng trang sức mỹ nghệ",
        standards=("TCVN 7054:2014",),
        instruments=("precision_balance", "precision_balance", "weight"),
        online=("Nhẫn vàng 18K", "Lắc tay vàng 18K", "Dây chuyền vàng 24K"),
        campaigns=("gold",),
    ),
    Trade(
        "food_producer",
        12,
        (("enterprise", "Công ty TNHH Thực phẩm {w}"), ("household", "Cơ sở sản xuất thực phẩm {w}")),
        (("prepackaged", 4), ("label", 4), ("barcode", 2), ("quality", 2)),
        {
            "prepackaged": ("Nước mắm cá cơm", "Kẹo dừa", "Bánh phồng tôm", "Cà phê rang xay"),
            "label": SPECIALTIES,
            "barcode": ("Kẹo dừa", "Bánh phồng tôm", "Nước mắm cá cơm", "Cà phê rang xay"),
            "quality": ("Nước mắm cá cơm", "Mắm cá linh", "Khô cá lóc"),
        },
        "thực phẩm",
        lots=(
            ("Nước mắm cá cơm chai 500 mL", 500, "mL"),
            ("Kẹo dừa hộp 400 g", 400, "g"),
            ("Bánh phồng tôm gói 200 g", 200, "g"),
            ("Cà phê rang xay gói 500 g", 500, "g"),
        ),
        online=("Kẹo dừa", "Bánh pía", "Nước mắm cá cơm", "Khô cá lóc"),
        campaigns=("prepackaged", "label"),
    ),
    Trade(
        "grocery",
        14,
        (
            ("household", "Cửa hàng tạp hóa {p}"),
            ("household", "Siêu thị mini {w}"),
            ("enterprise", "Công ty TNHH Thương mại {w}"),
        ),
        (("prepackaged", 3), ("label", 3), ("barcode", 2), ("quality", 2), ("instruments", 1)),
        {
            "prepackaged": ("Đường cát trắng", "Dầu ăn", "Bột giặt", "Mì ăn liền"),
            "label": ("Mì ăn liền", "Dầu ăn", "Nước giải khát", "Sữa bột trẻ em"),
            "barcode": ("Mì ăn liền", "Nước giải khát", "Trà xanh đóng chai", "Dầu ăn"),
            "quality": ("Mũ bảo hiểm", "Đồ chơi trẻ em", "Ổ cắm điện", "Bóng đèn LED"),
            "instruments": ("Đường cát trắng", "Gạo thơm Jasmine"),
        },
        "hàng tiêu dùng",
        standards=("QCVN 2:2021/BKHCN", "QCVN 3:2019/BKHCN", "QCVN 4:2009/BKHCN"),
        instruments=("spring_scale", "platform_scale", "weight"),
        lots=(
            ("Đường cát trắng túi 1 kg", 1, "kg"),
            ("Dầu ăn chai 1 L", 1, "L"),
            ("Bột giặt túi 3 kg", 3, "kg"),
            ("Mì ăn liền gói 75 g", 75, "g"),
        ),
        online=("Sữa bột trẻ em", "Nước giải khát", "Bột giặt", "Đồ chơi trẻ em"),
        campaigns=("prepackaged",),
    ),
    Trade(
        "market_stall",
        8,
        (("individual", "Sạp chợ {p}"),),
        (("instruments", 5), ("label", 2), ("prepackaged", 1)),
        {
            "instruments": ("Khô cá lóc", "Đường cát trắng", "Gạo thơm Jasmine"),
            "label": ("Khô cá lóc", "Mắm cá linh", "Bánh pía"),
            "prepackaged": ("Đường cát trắng", "Khô cá lóc"),
        },
        "thực phẩm",
        instruments=("spring_scale", "spring_scale", "platform_scale"),
        lots=(("Đường cát trắng túi 1 kg", 1, "kg"), ("Khô cá lóc gói 500 g", 500, "g")),
    ),
    Trade(
        "building_materials",
        8,
        (
            ("enterprise", "Công ty TNHH Vật liệu xây dựng {w}"),
            ("household", "Cửa hàng vật liệu xây dựng {w}"),
        ),
        (("quality", 4), ("standards", 3), ("label", 2), ("instruments", 1)),
        {
            "quality": ("Thép cốt bê tông", "Xi măng PCB40", "Tôn lợp mạ kẽm"),
            "standards": ("Gạch ốp lát", "Ống nhựa PVC", "Xi măng PCB40"),
            "label": ("Xi măng PCB40", "Gạch ốp lát", "Tôn lợp mạ kẽm"),
            "instruments": ("Thép cốt bê tông", "Xi măng PCB40"),
        },
        "vật liệu xây dựng",
        standards=("TCVN 1651-2:2018", "TCVN 6260:2020", "QCVN 16:2023/BXD"),
        instruments=("truck_scale", "platform_scale"),
        campaigns=("quality",),
    ),
    Trade(
        "farm_cooperative",
        6,
        (("cooperative", "Hợp tác xã Nông nghiệp {w}"),),
        (("prepackaged", 3), ("label", 3), ("quality", 2), ("instruments", 2)),
        {
            "prepackaged": RICE,
            "label": RICE,
            "quality": (*RICE, "Phân bón NPK 16-16-8"),
            "instruments": ("Lúa tươi", *RICE),
        },
        "nông sản",
        standards=("TCVN 11888:2017", "QCVN 01-190:2020/BNNPTNT"),
        instruments=("moisture_meter", "platform_scale", "truck_scale"),
        lots=(("Gạo thơm Jasmine túi 5 kg", 5, "kg"), ("Gạo ST25 túi 2 kg", 2, "kg")),
        online=RICE,
        campaigns=("prepackaged", "label"),
    ),
    Trade(
        "water_supply",
        2,
        (("enterprise", "Công ty Cổ phần Cấp nước {w}"),),
        (("instruments", 1),),
        {"instruments": ("Đồng hồ nước lạnh",)},
        "đồng hồ nước",
        instruments=("water_meter",),
    ),
    Trade(
        "taxi",
        2,
        (("enterprise", "Công ty TNHH Taxi {w}"), ("cooperative", "Hợp tác xã Vận tải {w}")),
        (("instruments", 1),),
        {"instruments": ("Dịch vụ vận chuyển bằng taxi",)},
        "dịch vụ vận tải",
        instruments=("taximeter",),
    ),
    Trade(
        "cosmetics_shop",
        4,
        (("household", "Cửa hàng mỹ phẩm {w}"), ("enterprise", "Công ty TNHH Mỹ phẩm {w}")),
        (("label", 4), ("quality", 2), ("barcode", 2)),
        {
            "label": ("Kem chống nắng", "Sữa rửa mặt", "Son môi", "Dầu gội"),
            "quality": ("Kem dưỡng trắng da", "Son môi"),
            "barcode": ("Sữa rửa mặt", "Dầu gội"),
        },
        "mỹ phẩm",
        standards=("TCVN 6972:2001",),
        online=("Kem dưỡng trắng da", "Son môi", "Kem chống nắng", "Nước hoa"),
    ),
)
TRADE_BY_KEY = {t.key: t for t in TRADES}

#: The survey campaigns of a year, by field: each surveys the establishments whose trade lists the field.
CAMPAIGNS = {
    "fuel": "Khảo sát chất lượng xăng dầu năm {year}",
    "gold": "Khảo sát chất lượng vàng trang sức, mỹ nghệ năm {year}",
    "prepackaged": "Khảo sát đo lường hàng đóng gói sẵn năm {year}",
    "quality": "Khảo sát chất lượng vật liệu xây dựng năm {year}",
    "label": "Khảo sát nhãn hàng hóa đặc sản địa phương năm {year}",
}

#: The unit goods of a product group are counted in.
GOODS_UNITS = {
    "xăng dầu": "lít",
    "vàng trang sức mỹ nghệ": "chiếc",
    "thực phẩm": "gói",
    "hàng tiêu dùng": "cái",
    "vật liệu xây dựng": "tấn",
    "nông sản": "kg",
    "mỹ phẩm": "hộp",
}

#: Listings of sellers not (yet) linked to an establishment.
ECOMMERCE_PRODUCTS = ("Mỹ phẩm trắng da", "Son môi", "Sữa bột trẻ em", "Giày thể thao", "Đồng hồ đeo tay")

LABS = ("Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng An Giang", "Quatest 3")

PLATFORM_HOSTS = {
    "shopee": "shopee.vn",
    "lazada": "lazada.vn",
    "tiktok": "tiktok.com",
    "facebook": "facebook.com",
    "zalo": "zalo.me",
    "website": "muasam-angiang.vn",
    "other": "chotot.com",
}

#: Activity type(s) of each task of the plan counted by activities, and the title of one activity.
TASK_ACTIVITIES = {
    "1.1": ("media", "Phóng sự tuyên truyền về tiêu chuẩn, đo lường, chất lượng trên Đài PT-TH An Giang"),
    "1.2": ("conference", "Hội thảo về tiêu chuẩn, đo lường, chất lượng"),
    "2.1": ("policy_review", "Rà soát văn bản quy phạm pháp luật về tiêu chuẩn, đo lường, chất lượng"),
    "2.2": ("enterprise_support", "Hỗ trợ doanh nghiệp áp dụng hệ thống quản lý chất lượng"),
    "2.3": ("service_field", "Mở rộng lĩnh vực kiểm định, hiệu chuẩn của Trung tâm"),
    "3.1": ("organisation", "Kiện toàn tổ chức bộ phận quản lý tiêu chuẩn, đo lường, chất lượng"),
    "3.2": ("training", "Lớp bồi dưỡng nghiệp vụ kiểm tra đo lường"),
    "3.3": ("organisation", "Bổ sung chuyên gia đánh giá hệ thống quản lý"),
    "4.1": ("equipment", "Đầu tư thiết bị kiểm tra nhanh chất lượng xăng dầu"),
    "4.2": ("project", "Đề án hỗ trợ doanh nghiệp nâng cao năng suất chất lượng"),
    "5.1": ("guidance", "Văn bản hướng dẫn kiểm tra nhà nước về đo lường"),
    "6.1": ("tbt_answer", "Thông báo TBT gửi doanh nghiệp xuất khẩu"),
    "6.2": ("exchange", "Trao đổi kinh nghiệm quản lý chất lượng với tỉnh bạn"),
    "II.1.a": ("training", "Tập huấn nâng cao nhận thức về tiêu chuẩn, đo lường, chất lượng"),
}

#: Every product listed online in the demo (a screenshot is drawn for each).
LISTED_PRODUCTS = tuple(dict.fromkeys([*ECOMMERCE_PRODUCTS, *(p for t in TRADES for p in t.online)]))

#: Clear signs of a violation that allow a second inspection of an establishment in a year (the once-a-year
#: rule, Resolution 198/2025/QH15).
CLEAR_SIGNS = (
    "Tin báo của người dân: cột đo bơm thiếu, có video kèm theo",
    "Mẫu khảo sát không đạt chất lượng, nghi pha trộn",
    "Cơ quan quản lý thị trường chuyển thông tin: hàng không rõ nguồn gốc",
    "Phản ánh trên báo chí về cân sai tại chợ",
)
