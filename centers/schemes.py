"""The default rating scheme (provisional): four areas adding up to 100, bands 85 / 70 / 50.

No national rating scale for learning centres was found; this follows TT 22/2020/TT-BGDĐT and
province staff edit it into the official text (an edit of a used scheme makes a new version).
"""

from decimal import Decimal

DEFAULT_KEY = "default"

DEFAULT_SCHEME = {
    "key": DEFAULT_KEY,
    "name": "Đánh giá, xếp loại Trung tâm học tập cộng đồng",
    "legal_basis": "Tạm thời, theo thang điểm của TT 22/2020/TT-BGDĐT",
    "year_from": 2014,
    "provisional": True,
    "criteria": [
        {
            "number": 1,
            "title": "Tổ chức và quản lý",
            "guidance": "Ban giám đốc, quy chế hoạt động, kế hoạch năm, hồ sơ sổ sách.",
            "max_points": Decimal("25"),
        },
        {
            "number": 2,
            "title": "Hoạt động học tập",
            "guidance": "Các lớp xóa mù chữ, pháp luật, chuyển giao kỹ thuật, sức khỏe, "
            "văn hóa thể thao; số lượt người tham gia.",
            "max_points": Decimal("30"),
        },
        {
            "number": 3,
            "title": "Huy động nguồn lực và sự tham gia của xã hội",
            "guidance": "Kinh phí từ ngân sách và xã hội hóa, cơ sở vật chất, "
            "sự phối hợp của các ban ngành, đoàn thể.",
            "max_points": Decimal("20"),
        },
        {
            "number": 4,
            "title": "Hiệu quả hoạt động",
            "guidance": "Tác động đến đời sống, sản xuất và phong trào học tập suốt đời ở xã.",
            "max_points": Decimal("25"),
        },
    ],
    "bands": [
        {"code": "tot", "name": "Tốt", "min_total": Decimal("85")},
        {"code": "kha", "name": "Khá", "min_total": Decimal("70")},
        {"code": "trung-binh", "name": "Trung bình", "min_total": Decimal("50")},
        {"code": "chua-dat", "name": "Chưa đạt", "min_total": Decimal("0")},
    ],
}
