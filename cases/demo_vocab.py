"""Words the demo data generator (``cases/demo_data.py``) builds names, products and places from."""

from __future__ import annotations

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

#: (business type, name pattern) — ``{w}`` a trade word, ``{p}`` a person's name, ``{c}`` a commune.
ESTABLISHMENT_PATTERNS = (
    ("enterprise", "Công ty TNHH Thương mại {w}"),
    ("enterprise", "Công ty Cổ phần Xăng dầu {w}"),
    ("enterprise", "Công ty TNHH Thực phẩm {w}"),
    ("enterprise", "Doanh nghiệp tư nhân Vàng bạc {w}"),
    ("branch", "Chi nhánh Công ty Xăng dầu {w} tại {c}"),
    ("cooperative", "Hợp tác xã Nông nghiệp {w}"),
    ("household", "Tiệm vàng {w}"),
    ("household", "Cửa hàng xăng dầu {w}"),
    ("household", "Cửa hàng tạp hóa {p}"),
    ("household", "Hộ kinh doanh {p}"),
    ("individual", "Sạp chợ {p}"),
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

#: Products by field of inspection.
PRODUCTS = {
    "instruments": ("Cân đồng hồ lò xo", "Cân bàn điện tử", "Đồng hồ nước", "Công tơ điện"),
    "prepackaged": ("Nước mắm đóng chai", "Gạo đóng túi 5 kg", "Đường cát trắng 1 kg", "Bột giặt 3 kg"),
    "quality": ("Mũ bảo hiểm", "Đồ chơi trẻ em", "Thép cốt bê tông", "Khí dầu mỏ hóa lỏng"),
    "label": ("Bánh phồng tôm", "Khô cá lóc", "Mắm cá linh", "Nước giải khát"),
    "barcode": ("Kẹo dừa", "Trà sữa đóng chai", "Mì ăn liền", "Dầu ăn"),
    "fuel": ("Xăng RON 95-III", "Xăng E5 RON 92", "Dầu diesel 0,05S"),
    "gold": ("Vàng trang sức 18K", "Nhẫn tròn trơn 9999", "Dây chuyền vàng 24K"),
    "standards": ("Gạch ốp lát", "Xi măng", "Ống nhựa PVC"),
}
ECOMMERCE_PRODUCTS = ("Mỹ phẩm trắng da", "Son môi", "Sữa bột trẻ em", "Giày thể thao", "Đồng hồ đeo tay")

#: Instrument types by field.
INSTRUMENT_TYPES = {
    "instruments": ("spring_scale", "platform_scale", "water_meter", "electricity_meter", "taximeter"),
    "fuel": ("fuel_pump", "fuel_pump", "lpg_dispenser", "tank_gauge"),
    "gold": ("precision_balance", "weight"),
}

SAMPLE_STANDARDS = {
    "fuel": ("TCVN 6776:2018", "QCVN 01:2022/BKHCN"),
    "quality": ("QCVN 2:2021/BKHCN", "QCVN 3:2019/BKHCN"),
    "gold": ("TCVN 7054:2014",),
}
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
