"""Invented Vietnamese names for the bench data: Kinh, Thái and Hmong names as found in
Điện Biên, with every diacritic, and names of villages and organisations."""

from models_learning.models import OrganisationKind

SURNAMES = [
    ("Nguyễn", 30, "kinh"), ("Trần", 8, "kinh"), ("Lê", 7, "kinh"), ("Phạm", 5, "kinh"),
    ("Hoàng", 4, "kinh"), ("Vũ", 3, "kinh"), ("Đặng", 2, "kinh"), ("Bùi", 2, "kinh"),
    ("Đỗ", 2, "kinh"), ("Ngô", 1, "kinh"), ("Dương", 1, "kinh"), ("Lý", 1, "kinh"),
    ("Lò", 6, "thai"), ("Quàng", 4, "thai"), ("Lường", 4, "thai"), ("Cà", 3, "thai"),
    ("Tòng", 2, "thai"), ("Điêu", 2, "thai"), ("Vì", 2, "thai"), ("Khoàng", 1, "thai"),
    ("Giàng", 4, "hmong"), ("Sùng", 3, "hmong"), ("Thào", 3, "hmong"), ("Mùa", 2, "hmong"),
    ("Vừ", 2, "hmong"), ("Lầu", 1, "hmong"), ("Hạng", 1, "hmong"), ("Chang", 1, "hmong"),
]  # fmt: skip
MIDDLE = {
    "kinh": (["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Thế", "Công"],
             ["Thị", "Thị Thu", "Thị Ngọc", "Thị Hồng", "Thị Thanh"]),
    "thai": (["Văn", "Văn", "Văn", "Ọn"], ["Thị", "Thị", "Thị Ơn"]),
    "hmong": (["A", "A", "Seo", "Chứ"], ["Thị", "Thị", "Thị Mỷ"]),
}  # fmt: skip
GIVEN = {
    "kinh": (["An", "Bình", "Cường", "Dũng", "Đức", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh",
              "Long", "Lợi", "Minh", "Nam", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Ước",
              "Tâm", "Ẩn", "Ổn", "Kiên", "Trường", "Nghĩa", "Lộc", "Phúc", "Thịnh", "Khải"],
             ["Anh", "Ánh", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hòa", "Hương",
              "Huyền", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Phương", "Quỳnh", "Thảo",
              "Thủy", "Trang", "Uyên", "Xuân", "Yến", "Loan", "Thơm", "Nguyệt", "Diễm", "Mỹ"]),
    "thai": (["Bun", "Khăm", "Pánh", "Ên", "Ơn", "Hặc", "Thanh", "Xiêng", "Ỳ", "Nọi",
              "Phỏng", "Ưng", "Chiến", "Ngoan", "Tiến"],
             ["Ỷ", "Ún", "Xương", "Pọm", "Ênh", "Lả", "Ngần", "Phượng", "Tiên", "Hom"]),
    "hmong": (["Páo", "Sử", "Chứ", "Dế", "Pó", "Sình", "Tủa", "Lử", "Dính", "Sáy", "Chống",
               "Vàng", "Dợ", "Phử", "Nủ"],
              ["Mỷ", "Dợ", "Mai", "Sua", "Chía", "Pà", "Say", "Dúa", "Lìa", "Súa"]),
}  # fmt: skip
VILLAGE_NAMES = [
    "Bản Na Sang", "Bản Huổi Lếch", "Bản Pá Chả", "Bản Nậm Ty", "Bản Co Mị", "Bản Xá Nhè",
    "Bản Phiêng Ban", "Bản Hát Hẹ", "Bản Tà Lèng", "Bản Nà Pen", "Bản Hua Ná", "Bản Ten Hon",
    "Bản Pú Nhi", "Bản Lọng Luông", "Bản Mường Tùng", "Bản Ẳng Cang", "Bản Đông Sơn",
    "Bản Hồng Lứu", "Thôn Tân Phong", "Thôn Quyết Thắng", "Tổ dân phố Đồng Tâm",
    "Tổ dân phố Thắng Lợi", "Bản Nậm Hằng", "Bản Xuân Tre",
]  # fmt: skip
ORGANISATION_NAMES = [
    ("Trường Tiểu học", OrganisationKind.SCHOOL), ("Trường Mầm non", OrganisationKind.SCHOOL),
    ("Trường THCS", OrganisationKind.SCHOOL), ("Trạm Y tế", OrganisationKind.AGENCY),
    ("Hợp tác xã", OrganisationKind.ENTERPRISE), ("Đồn Biên phòng", OrganisationKind.AGENCY),
]  # fmt: skip


class NameMaker:
    def __init__(self, rng):
        self.rng = rng
        self.surnames = [s for s, _w, _style in SURNAMES]
        self.weights = [w for _s, w, _style in SURNAMES]
        self.styles = {s: style for s, _w, style in SURNAMES}

    def person(self):
        surname = self.rng.choices(self.surnames, self.weights)[0]
        style = self.styles[surname]
        female = self.rng.random() < 0.35
        middle = self.rng.choice(MIDDLE[style][female])
        given = self.rng.choice(GIVEN[style][female])
        return f"{surname} {middle} {given}"

    def surname(self):
        return self.rng.choices(self.surnames, self.weights)[0]
