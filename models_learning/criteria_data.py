"""The criteria sets loaded by `manage.py load_criteria_sets` (and the demo), as data.

What is verified and what is provisional follows the domain brief:
- QĐ 448/QĐ-KHVN (01/12/2015), learning family, 100 points: criterion 1 (children's learning,
  3 × 10) and the first two items of criterion 2 (adults' learning, 10 + 10) are verified;
  the third item of criterion 2, criteria 3 and 4 (20 each) and the pass mark 80 are
  provisional. The item texts below are Vietnamese summaries of the brief, not the official
  wording: province staff compare them with the decision and edit the set in the portal.
- The clan, village-community and organisation tables of QĐ 448 were not recovered: their
  sets have the likely structure and are provisional as a whole.
- The 2021–2030 sets (QĐ 387/QĐ-TTg) were not found: each kind gets a provisional copy of the
  2016–2020 structure for province staff to complete. QĐ 387 is the programme, not a criteria
  text, so nothing in these copies is verified: every criterion and item is provisional, even
  those checked in QĐ 448 (`_all_provisional`).
- The organisation set's split 30 / 40 / 30 has no source: TT 22/2020/TT-BGDĐT (learning
  organisations at district and province level) splits its 100 points 30 / 30 / 40, under
  other headings. Each organisation criterion is provisional and its guidance says so.

The approval chain is chosen by the set (see services.criteria.criteria_set_for): sets for
files before 1 July 2025 approve commune → district → province; the sets for files of
today's communes (from 1 July 2025, no districts) approve commune → province. So each kind has
two 2021–2030 sets: one for 2021–2025 files of the former communes, one for 2025–2030 files.
The 2016–2020 sets also cover the 2014–2015 pilot of QĐ 281/QĐ-TTg.
"""

QD448 = "QĐ 448/QĐ-KHVN ngày 01/12/2015 của Hội Khuyến học Việt Nam (áp dụng từ 01/01/2016)"
QD387 = "QĐ 387/QĐ-TTg ngày 25/03/2022 (Chương trình xây dựng xã hội học tập 2021–2030)"
OLD_CHAIN = ["commune", "district", "province"]
NEW_CHAIN = ["commune", "province"]
PILOT_NOTE = "Cũng dùng cho hồ sơ thí điểm 2014–2015 theo QĐ 281/QĐ-TTg."
UNOFFICIAL_TEXT = (
    "Nội dung các mục là bản tóm tắt, chưa phải nguyên văn: cán bộ tỉnh đối chiếu văn bản "
    "và sửa trong cổng."
)


def _item(text, points=None, provisional=False):
    return {"text": text, "points": points, "provisional": provisional}


FAMILY_CRITERIA = [
    {
        "number": 1,
        "title": "Học tập của trẻ em",
        "guidance": "Mỗi mục 10 điểm.",
        "sub_items": [
            _item(
                "Trẻ em trong độ tuổi đi học đều được đến trường và hoàn thành chương trình "
                "giáo dục bắt buộc",
                10,
            ),
            _item("Kết quả học tập từ trung bình trở lên, hạnh kiểm từ khá trở lên", 10),
            _item("Trung thực, lễ phép, tích cực tham gia các hoạt động ở địa phương", 10),
        ],
        "max_points": 30,
        "provisional": False,
    },
    {
        "number": 2,
        "title": "Học tập của người lớn",
        "guidance": "Mục thứ ba (10 điểm) là tạm thời, chờ cán bộ tỉnh bổ sung theo văn bản.",
        "sub_items": [
            _item("Người lớn trong độ tuổi 19–60 biết chữ từ mức độ 1 trở lên", 10),
            _item("Mỗi người lớn học ít nhất một nội dung trong năm", 10),
            _item("Mục thứ ba (tạm thời)", 10, provisional=True),
        ],
        "max_points": 30,
        "provisional": True,
    },
    {
        "number": 3,
        "title": "Điều kiện học tập",
        "guidance": "Tạm thời: cách chia điểm giữa các mục chờ cán bộ tỉnh xác nhận.",
        "sub_items": [
            _item("Gia đình quan tâm, tạo điều kiện cho các thành viên học tập", 5, True),
            _item("Có quỹ khuyến học của gia đình", 5, True),
            _item("Có sách báo, góc học tập cho con em", 5, True),
            _item("Có phương tiện nghe nhìn phục vụ học tập", 5, True),
        ],
        "max_points": 20,
        "provisional": True,
    },
    {
        "number": 4,
        "title": "Tác động, hiệu quả của học tập",
        "guidance": "Tạm thời: cách chia điểm giữa các mục chờ cán bộ tỉnh xác nhận.",
        "sub_items": [
            _item("Có việc làm, thu nhập ổn định từ nghề nghiệp hợp pháp", 10, True),
            _item("Được công nhận danh hiệu “Gia đình văn hóa”", 10, True),
        ],
        "max_points": 20,
        "provisional": True,
    },
]


def _provisional(number, title, max_points, items):
    return {
        "number": number,
        "title": title,
        "guidance": "Tạm thời: chờ cán bộ tỉnh đối chiếu văn bản.",
        "sub_items": [_item(text, None, True) for text in items],
        "max_points": max_points,
        "provisional": True,
    }


CLAN_CRITERIA = [
    _provisional(
        1,
        "Gia đình học tập trong dòng họ",
        30,
        ["Tỷ lệ gia đình trong dòng họ được công nhận “Gia đình học tập”"],
    ),
    _provisional(
        2,
        "Ban khuyến học và quỹ khuyến học của dòng họ",
        20,
        ["Dòng họ có ban khuyến học hoạt động thường xuyên", "Dòng họ có quỹ khuyến học"],
    ),
    _provisional(
        3,
        "Kết quả học tập của con cháu trong dòng họ",
        30,
        ["Con cháu trong độ tuổi đi học đều đến trường", "Người lớn tham gia học tập"],
    ),
    _provisional(
        4,
        "Quy ước của dòng họ khuyến khích học tập",
        20,
        ["Hương ước, quy ước của dòng họ có nội dung khuyến học, khuyến tài"],
    ),
]

COMMUNITY_CRITERIA = [
    _provisional(
        1,
        "Gia đình học tập, dòng họ học tập trong thôn, bản",
        30,
        ["Tỷ lệ gia đình học tập", "Tỷ lệ dòng họ học tập"],
    ),
    _provisional(
        2,
        "Chi hội khuyến học và quỹ khuyến học",
        20,
        ["Chi hội khuyến học hoạt động tích cực", "Thôn, bản có quỹ khuyến học"],
    ),
    _provisional(
        3,
        "Hoạt động học tập tại nhà văn hóa, trung tâm học tập cộng đồng",
        30,
        ["Tổ chức các lớp, buổi học tập cho người dân trong năm"],
    ),
    _provisional(
        4,
        "Danh hiệu thôn, bản văn hóa",
        20,
        ["Thôn, bản được công nhận danh hiệu văn hóa"],
    ),
]

ORGANISATION_SPLIT_NOTE = (
    "Tạm thời: cách chia điểm 30/40/30 chưa có nguồn (TT 22/2020/TT-BGDĐT, áp dụng cho đơn vị "
    "học tập cấp huyện, tỉnh, chia 30/30/40 theo các tiêu chuẩn khác); chờ cán bộ tỉnh đối "
    "chiếu văn bản."
)
ORGANISATION_CRITERIA = [
    {**criterion, "guidance": ORGANISATION_SPLIT_NOTE}
    for criterion in (
        _provisional(
            1,
            "Lãnh đạo, chỉ đạo xây dựng đơn vị học tập",
            30,
            ["Có kế hoạch xây dựng đơn vị học tập", "Người đứng đầu gương mẫu học tập"],
        ),
        _provisional(
            2,
            "Cán bộ, người lao động học tập nâng cao trình độ",
            40,
            ["Tỷ lệ cán bộ, người lao động tham gia học tập trong năm"],
        ),
        _provisional(
            3,
            "Điều kiện và kết quả học tập của đơn vị",
            30,
            ["Có tủ sách, phương tiện học tập", "Học tập góp phần hoàn thành nhiệm vụ"],
        ),
    )
]

KIND_NAMES = {
    "family": "Gia đình học tập",
    "clan": "Dòng họ học tập",
    "community": "Cộng đồng học tập cấp thôn",
    "organisation": "Đơn vị học tập",
}
CRITERIA_BY_KIND = {
    "family": FAMILY_CRITERIA,
    "clan": CLAN_CRITERIA,
    "community": COMMUNITY_CRITERIA,
    "organisation": ORGANISATION_CRITERIA,
}
# Bands after TT 22/2020/TT-BGDĐT (provisional here): used for organisations only.
ORGANISATION_BANDS = [
    {"label": "Tốt", "min": 85},
    {"label": "Khá", "min": 70},
    {"label": "Trung bình", "min": 50},
]


def _all_provisional(criteria):
    """A copy of `criteria` with every criterion and item provisional: for sets whose only
    source is the programme (QĐ 387), which holds no criteria."""
    return [
        {
            **criterion,
            "provisional": True,
            "sub_items": [{**item, "provisional": True} for item in criterion["sub_items"]],
        }
        for criterion in criteria
    ]


def _set(kind, code, name, legal_basis, years, chain, note, *, verified_family=False):
    provisional_note = (
        "Điểm chuẩn 80 và các mục ghi “tạm thời” cần cán bộ tỉnh xác nhận."
        if verified_family
        else "Toàn bộ bộ tiêu chí là tạm thời: cán bộ tỉnh nhập nội dung chính thức."
    )
    organisation = kind == "organisation"
    return {
        "code": code,
        "kind": kind,
        "name": name,
        "legal_basis": legal_basis,
        "note": " ".join(filter(None, [provisional_note, note, UNOFFICIAL_TEXT])),
        "valid_from_year": years[0],
        "valid_to_year": years[1],
        "max_score": 100,
        "pass_mark": 50 if organisation else 80,
        "half_points": False,
        "bands": ORGANISATION_BANDS if organisation else [],
        "approval_levels": chain,
        "validity_years": 1,
        "provisional": True,
        "criteria": (
            CRITERIA_BY_KIND[kind] if verified_family else _all_provisional(CRITERIA_BY_KIND[kind])
        ),
    }


CRITERIA_SETS = []
for _kind, _title in KIND_NAMES.items():
    CRITERIA_SETS += [
        _set(
            _kind,
            f"{_kind}-qd448-2016",
            f"{_title} (QĐ 448, 2016–2020)",
            QD448,
            (2014, 2020),
            OLD_CHAIN,
            PILOT_NOTE,
            verified_family=_kind == "family",
        ),
        _set(
            _kind,
            f"{_kind}-2021-district",
            f"{_title} 2021–2030 (hồ sơ đến 30/06/2025)",
            QD387,
            (2021, 2025),
            OLD_CHAIN,
            "Dành cho hồ sơ của các xã trước sắp xếp (còn cấp huyện).",
        ),
        _set(
            _kind,
            f"{_kind}-2021",
            f"{_title} 2021–2030 (từ 01/07/2025)",
            QD387,
            (2025, 2030),
            NEW_CHAIN,
            "Dành cho hồ sơ của các xã, phường từ 01/07/2025 (không còn cấp huyện).",
        ),
    ]


# --- learning citizens (Công dân học tập) ---------------------------------------------------
#
# QĐ 677/QĐ-TTg (03/06/2022) asks for the model; the criteria were issued by the national
# association, but the sources disagree on the decision (QĐ 244/QĐ-KHVN or QĐ 324/QĐ-KHVN)
# and its text was not found. The five criteria below are the likely structure (learning
# regularly, knowing the law and policies, digital skills, using what was learnt, helping
# others learn), 20 points each, pass mark 80: all PROVISIONAL, for province staff to edit
# into the official text. A person's answer is met / not met per criterion (the full points
# or none); the app `citizens` records it.
QD677 = (
    "QĐ 677/QĐ-TTg ngày 03/06/2022 (Chương trình xây dựng mô hình Công dân học tập "
    "2021–2030); tiêu chí của Hội Khuyến học Việt Nam (QĐ 244 hoặc 324/QĐ-KHVN, chưa tìm được "
    "văn bản)"
)
CITIZEN_CRITERIA = [
    {
        "number": number,
        "title": title,
        "guidance": guidance,
        "sub_items": [_item(guidance, 20, provisional=True)],
        "max_points": 20,
        "provisional": True,
    }
    for number, title, guidance in (
        (
            1,
            "Ý thức học tập suốt đời",
            "Thường xuyên tự học, tham gia ít nhất một lớp hoặc nội dung học tập trong năm",
        ),
        (
            2,
            "Hiểu biết pháp luật, chính sách",
            "Tìm hiểu và chấp hành chủ trương, chính sách, pháp luật; quy ước nơi cư trú",
        ),
        (
            3,
            "Kỹ năng số",
            "Biết dùng điện thoại thông minh hoặc máy tính, Internet, dịch vụ công trực tuyến "
            "an toàn",
        ),
        (
            4,
            "Vận dụng kiến thức vào công việc, cuộc sống",
            "Áp dụng điều đã học vào sản xuất, công việc, nâng cao thu nhập, sức khỏe",
        ),
        (
            5,
            "Chia sẻ, giúp đỡ người khác học tập",
            "Hướng dẫn, động viên người thân, cộng đồng cùng học; tham gia hoạt động khuyến học",
        ),
    )
]
CRITERIA_SETS.append(
    {
        "code": "citizen-2021",
        "kind": "citizen",
        "name": "Công dân học tập 2021–2030 (tạm thời)",
        "legal_basis": QD677,
        "note": (
            "Toàn bộ bộ tiêu chí là tạm thời: văn bản tiêu chí Công dân học tập của Hội Khuyến "
            "học Việt Nam (QĐ 244/QĐ-KHVN hoặc QĐ 324/QĐ-KHVN, các nguồn không thống nhất) "
            "chưa tìm được. Cán bộ tỉnh đối chiếu văn bản và sửa trong cổng, rồi bỏ dấu "
            "“tạm thời”. " + UNOFFICIAL_TEXT
        ),
        "valid_from_year": 2021,
        "valid_to_year": 2030,
        "max_score": 100,
        "pass_mark": 80,
        "half_points": False,
        "bands": [],
        "approval_levels": NEW_CHAIN,
        "validity_years": 1,
        "provisional": True,
        "criteria": CITIZEN_CRITERIA,
    }
)
