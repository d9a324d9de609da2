"""Demo data of the learning models, entered through the services (so every file has its
history): `seed(stdout)` is called by `manage.py seed_demo` after the units and accounts.

- the criteria sets (QĐ 448 and the provisional ones);
- the pilot of the founding report, 2014–2015: 30 families, 6 clans, 6 village communities in
  Thanh Chăn, Mường Phăng and Mường Nhà (communes of 2014–2019), all recognised;
- the pilot sites in the other nine districts, 2015: one commune in each (9), 18 clans, 18
  village communities and 316 families, decided as any year's files;
- 2016–2024 in twelve communes of that time: each year last year's families are partly carried
  over and new ones registered, with clans, village communities and schools; most are
  recognised (commune → district → province), some returned and fixed, some not recognised,
  withdrawn, or revoked later, with reasons;
- 2025 in today's communes (commune → province), carried over from the communes they were
  formed from;
- this year: files of Xã Mường Phăng (account demo-commune) waiting at each step, a few in
  Phường Mường Thanh (demo-commune-2) and in other communes waiting for the province.

Idempotent: if registrations exist, nothing is added. Deterministic (fixed random seed).
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import local_today
from units.models import Level, Membership, Role, Unit, UnitChange, Village, VillageKind
from units.scoping import forget_scope

from . import services
from .models import (
    ModelKind,
    Organisation,
    OrganisationKind,
    Registration,
    RegistrationEvent,
    Relationship,
    Schooling,
)
from .workflow import Action, Status

PILOT_COMMUNES = ["Xã Thanh Chăn", "Xã Mường Phăng", "Xã Mường Nhà"]
# The pilot sites in the other districts: 9 communes, 18 clans, 18 communities, 316 families.
PILOT_FAMILIES = 316
TRACKS = [
    "Xã Mường Phăng",
    "Xã Nà Nhạn",
    "Xã Thanh Chăn",
    "Xã Mường Nhà",
    "Xã Thanh Xương",
    "Phường Him Lam",
    "Xã Quài Nưa",
    "Xã Chiềng Sinh",
    "Xã Mường Đăng",
    "Xã Búng Lao",
    "Xã Chà Cang",
    "Xã Mường Pồn",
]
FIRST_YEAR, LAST_HISTORIC_YEAR = 2016, 2024
VILLAGE_NAMES = [
    "Bản Na Hai", "Bản Phiêng Ban", "Bản Huổi Hốc", "Bản Co Mị", "Bản Pá Pao", "Bản Nậm Cản",
    "Bản Kéo Nánh", "Bản Hua Ná", "Bản Xôm", "Bản Món", "Bản Tâu", "Bản Púng",
]  # fmt: skip

# Family names and given names common in Điện Biên: Thái, H'Mông and Kinh.
THAI_SURNAMES = ["Lò", "Lường", "Quàng", "Cà", "Tòng", "Điêu", "Lù", "Vì", "Hoàng"]
HMONG_SURNAMES = ["Vừ", "Giàng", "Sùng", "Thào", "Lý", "Mùa", "Hạng", "Vàng", "Lầu"]
KINH_SURNAMES = ["Nguyễn", "Trần", "Đinh", "Phạm", "Lê", "Hoàng", "Đỗ", "Bùi"]
THAI_MEN = ["Thanh", "Ún", "Pánh", "Chăn", "Hặc", "Phong", "Xuân", "Inh", "Khăm", "Sương", "Bun"]
THAI_WOMEN = ["Ính", "Xuân", "Bun", "Lả", "Ơn", "Piếng", "Thoa", "Sen", "Hoa", "Ngọc"]
HMONG_MEN = ["Dính", "Páo", "Lử", "Chứ", "Sình", "Cở", "Súa", "Tủa", "Chớ", "Dế", "Lềnh"]
HMONG_WOMEN = ["Mỷ", "Dợ", "Mai", "Chá", "Dua", "Pàng", "Máy", "Say"]
KINH_MEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Long", "Nam", "Quang", "Thắng"]
KINH_WOMEN = ["Hoa", "Hương", "Lan", "Mai", "Nga", "Thu", "Thủy", "Yến", "Hạnh"]

RETURN_REASONS = [
    ("Thiếu biên bản bình xét của chi hội bản.", 1, "Bổ sung kết quả học tập của các cháu."),
    (
        "Điểm tiêu chí 2 chưa khớp với danh sách người lớn đi học.",
        2,
        "Đối chiếu danh sách học viên của trung tâm học tập cộng đồng.",
    ),
    ("Chưa có xác nhận của trưởng bản.", 4, "Ghi rõ danh hiệu Gia đình văn hóa năm nào."),
]
REJECT_REASONS = [
    "Gia đình có con bỏ học giữa năm học.",
    "Hồ sơ không đủ minh chứng sau hai lần bổ sung.",
]
REVOKE_REASONS = [
    "Phát hiện kê khai không đúng: con bỏ học từ tháng 3.",
    "Gia đình vi phạm pháp luật (theo thông báo của Ủy ban nhân dân xã).",
]
WITHDRAW_REASONS = ["Gia đình chuyển đi nơi khác.", "Gia đình xin rút đăng ký năm nay."]
LOW_SCORE_REASON = "Không đạt điểm chuẩn sau bình xét."


def seed(stdout):
    province = (
        Unit.objects.filter(level=Level.PROVINCE, admin_code=settings.PORTAL_PROVINCE_CODE)
        .order_by("valid_to")
        .first()
    )
    if province is None:
        stdout.write(_("Learning models demo: no province loaded (run load_units first)."))
        return
    with transaction.atomic():
        created_sets = services.load_criteria_sets()
        if Registration.objects.exists():
            stdout.write(_("Learning models demo: registrations already there, nothing added."))
            return
        demo = _Demo(province)
        demo.run()
    recognised = Registration.objects.filter(
        kind=ModelKind.FAMILY, status__in=[Status.RECOGNIZED, Status.REVOKED]
    )
    stdout.write(
        _(
            "Learning models demo: %(sets)s criteria sets, %(registrations)s registrations, "
            "%(households)s recognised households."
        )
        % {
            "sets": created_sets,
            "registrations": Registration.objects.count(),
            "households": recognised.values("household").distinct().count(),
        }
    )


def _system_user(username, first_name, last_name):
    """An account the demo acts through; it cannot sign in (no usable password)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class _Demo:
    def __init__(self, province):
        self.rng = random.Random(2014)
        self.province = province
        self.today = local_today()
        self.this_year = self.today.year
        self.officer = _system_user("seed-officer", "Cán bộ", "nhập liệu mẫu")
        Membership.objects.get_or_create(user=self.officer, unit=province, role=Role.OFFICER)
        self.reviewer = _system_user("seed-district", "Cán bộ", "huyện (mẫu)")
        for district in Unit.objects.filter(level=Level.DISTRICT, path__startswith=province.path):
            Membership.objects.get_or_create(user=self.reviewer, unit=district, role=Role.REVIEWER)
        User = get_user_model()
        approver = User.objects.filter(
            username="demo-province",
            memberships__unit=province,
            memberships__role=Role.APPROVER,
        ).first()
        if approver is None:
            approver = _system_user("seed-province", "Cán bộ", "tỉnh (mẫu)")
            Membership.objects.get_or_create(user=approver, unit=province, role=Role.APPROVER)
        self.approver = approver
        for user in (self.officer, self.reviewer, self.approver):
            forget_scope(user)
        self.clans = {}
        self.names_used = set()

    # --- places ---

    def commune(self, name, year):
        """The commune row of that name valid in the middle of `year` (or None)."""
        return (
            Unit.objects.filter(level=Level.COMMUNE, name=name, path__startswith=self.province.path)
            .valid_on(datetime.date(year, 6, 30))
            .first()
        )

    def successor(self, unit):
        link = (
            UnitChange.objects.filter(predecessor=unit, successor__valid_from__isnull=False)
            .select_related("successor")
            .order_by("-date")
            .first()
        )
        return link.successor if link else None

    def villages(self, unit):
        villages = list(Village.objects.filter(commune=unit).order_by("name"))
        if villages:
            return villages
        if unit.name.startswith("Phường"):
            names = [(f"Tổ dân phố {n}", VillageKind.TO_DAN_PHO) for n in range(1, 5)]
        else:
            start = unit.pk % len(VILLAGE_NAMES)
            names = [
                (VILLAGE_NAMES[(start + n) % len(VILLAGE_NAMES)], VillageKind.BAN) for n in range(4)
            ]
        return [
            Village.objects.get_or_create(commune=unit, name=name, defaults={"kind": kind})[0]
            for name, kind in names
        ]

    def free_village(self, unit, year):
        """A village of `unit` not yet registered as a learning community in `year`."""
        taken = set(
            Registration.objects.filter(kind=ModelKind.COMMUNITY, year=year).values_list(
                "village_id", flat=True
            )
        )
        villages = self.villages(unit)
        free = [village for village in villages if village.pk not in taken]
        if free:
            return free[0]
        names = {village.name for village in villages}
        name = next(name for name in VILLAGE_NAMES if name not in names)
        return Village.objects.create(commune=unit, name=name, kind=VillageKind.BAN)

    def officer_for(self, unit):
        if unit.is_current and unit.name in ("Xã Mường Phăng", "Phường Mường Thanh"):
            username = "demo-commune" if unit.name == "Xã Mường Phăng" else "demo-commune-2"
            user = get_user_model().objects.filter(username=username).first()
            if user is not None and Membership.objects.filter(user=user, unit=unit).exists():
                return user
        return self.officer

    # --- people ---

    def person(self, woman=False):
        rng = self.rng
        group = rng.choices(["thai", "hmong", "kinh"], weights=[5, 3, 2])[0]
        if group == "thai":
            surname = rng.choice(THAI_SURNAMES)
            given = f"Thị {rng.choice(THAI_WOMEN)}" if woman else f"Văn {rng.choice(THAI_MEN)}"
        elif group == "hmong":
            surname = rng.choice(HMONG_SURNAMES)
            given = f"Thị {rng.choice(HMONG_WOMEN)}" if woman else f"A {rng.choice(HMONG_MEN)}"
        else:
            surname = rng.choice(KINH_SURNAMES)
            given = f"Thị {rng.choice(KINH_WOMEN)}" if woman else f"Văn {rng.choice(KINH_MEN)}"
        return surname, f"{surname} {given}"

    def household_fields(self, unit, year):
        rng = self.rng
        village = rng.choice(self.villages(unit))
        woman_head = rng.random() < 0.2
        surname, head = self.person(woman_head)
        if not self.names_used and unit.name == "Xã Thanh Chăn":
            surname, head = "Nguyễn", "Nguyễn Văn An"  # a name the search examples use
        self.names_used.add(head)
        born = rng.randint(1955, 1992)
        members = [
            {
                "name": self.person(not woman_head)[1],
                "birth_year": born + rng.randint(-3, 4),
                "relationship": Relationship.SPOUSE,
                "schooling": Schooling.ADULT,
            }
        ]
        for _child in range(rng.randint(1, 3)):
            child_born = min(year - 3, born + rng.randint(20, 32))
            age = year - child_born
            schooling = (
                Schooling.PRESCHOOL
                if age < 6
                else Schooling.PRIMARY
                if age < 11
                else Schooling.LOWER_SECONDARY
                if age < 15
                else Schooling.UPPER_SECONDARY
                if age < 18
                else Schooling.VOCATIONAL
            )
            members.append(
                {
                    "name": f"{surname} {'Thị' if rng.random() < 0.5 else 'Văn'} "
                    f"{rng.choice(THAI_MEN + KINH_WOMEN)}",
                    "birth_year": child_born,
                    "relationship": Relationship.CHILD,
                    "schooling": schooling,
                }
            )
        return {
            "village": village,
            "head_name": head,
            "head_birth_year": born,
            "address": village.name,
            "members": members,
        }

    # --- registering ---

    def new_family(self, unit, year):
        return services.register_household(
            by=self.officer_for(unit),
            year=year,
            new_household=self.household_fields(unit, year),
            confirm_duplicate=True,
        )

    def clan(self, unit):
        clan = self.clans.get(unit.pk)
        if clan is None:
            clan = self.clans[unit.pk] = services.create_clan(
                by=self.officer_for(unit),
                commune=unit,
                surname=self.rng.choice(THAI_SURNAMES + HMONG_SURNAMES),
                branch=f"chi {self.rng.choice(self.villages(unit)).name}",
                representative=self.person()[1],
            )
        return clan

    def school(self, unit):
        name = f"Trường Tiểu học {unit.name.split(' ', 1)[1]}"
        school = Organisation.objects.filter(commune=unit, name=name).first()
        return school or services.create_organisation(
            by=self.officer_for(unit), commune=unit, name=name, kind=OrganisationKind.SCHOOL
        )

    def register(self, unit, year, subject):
        return services.register_subject(by=self.officer_for(unit), year=year, subject=subject)

    # --- scoring and deciding ---

    def points(self, registration, low=False):
        criteria = list(registration.criteria_set.criteria.all())
        pass_mark = registration.criteria_set.pass_mark
        for _attempt in range(50):
            points = {}
            for criterion in criteria:
                top = int(criterion.max_points)
                cut = self.rng.choice([0, 0, 0, 1, 2, 5]) if not low else self.rng.randint(4, 12)
                points[criterion.pk] = Decimal(max(0, top - cut))
            total = sum(points.values())
            if (total < pass_mark) == low:
                return points
        return points

    def draw(self, recognise_all=False):
        if recognise_all:
            return "recognise"
        roll = self.rng.random()
        for outcome, limit in (
            ("withdraw", 0.04),
            ("low", 0.07),
            ("reject", 0.11),
            ("return", 0.19),
            ("revoke", 0.22),
        ):
            if roll < limit:
                return outcome
        return "recognise"

    def decide(self, registrations, year, *, recognise_all=False, decision_day=None):
        """Drive this year's files of one commune to their outcome, as the year-end would."""
        to_province, revoke = [], []
        for registration in registrations:
            outcome = self.draw(recognise_all)
            officer = self.officer_for(registration.unit)
            if outcome == "withdraw":
                services.withdraw_registration(
                    registration, by=officer, reason=self.rng.choice(WITHDRAW_REASONS)
                )
                continue
            services.save_scores(
                registration, by=officer, points=self.points(registration, outcome == "low")
            )
            if outcome == "low":
                services.withdraw_registration(registration, by=officer, reason=LOW_SCORE_REASON)
                continue
            registration = services.propose_registration(registration, by=officer)
            if outcome == "return":
                self.return_once(registration, officer)
            registration = self.pass_district(registration)
            if outcome == "reject":
                services.reject_registration(
                    registration, by=self.approver, reason=self.rng.choice(REJECT_REASONS)
                )
                continue
            to_province.append(registration.pk)
            if outcome == "revoke":
                revoke.append(registration)
        day = decision_day or datetime.date(year, 12, self.rng.randint(5, 20))
        results = services.bulk_approve(
            to_province, by=self.approver, decision_date=day, one_decision=True
        )
        failed = [r.message for r in results if not r.ok]
        if failed:
            raise RuntimeError(f"Demo approvals failed: {failed[:3]}")
        for result in results:
            if result.registration.status == Status.RECOGNIZED:
                services.issue_decision(result.registration, by=self.approver)
        for registration in revoke:
            services.revoke_recognition(
                Registration.objects.get(pk=registration.pk),
                by=self.approver,
                reason=self.rng.choice(REVOKE_REASONS),
            )

    def return_once(self, registration, officer):
        """Returned by the first level with a reason and a note, fixed, proposed again."""
        reason, number, note = self.rng.choice(RETURN_REASONS)
        criteria = {c.number: c for c in registration.criteria_set.criteria.all()}
        criterion = criteria.get(number) or next(iter(criteria.values()))
        actor = self.reviewer if registration.awaiting_unit.level == Level.DISTRICT else None
        services.return_registration(
            registration,
            by=actor or self.approver,
            reason=reason,
            criterion_notes={criterion: note},
        )
        services.save_scores(registration, by=officer, points={criterion.pk: criterion.max_points})
        return services.propose_registration(registration, by=officer)

    def pass_district(self, registration):
        if registration.awaiting_unit.level == Level.DISTRICT:
            registration = services.approve_registration(registration, by=self.reviewer)
        return registration

    # --- the story ---

    def run(self):
        self.pilot()
        for year in range(FIRST_YEAR, LAST_HISTORIC_YEAR + 1):
            for name in TRACKS:
                unit = self.commune(name, year)
                if unit is not None:
                    self.historic_year(unit, year)
        self.after_merger(2025)
        self.this_year_files()
        # Last, so that the random draws of everything above stay as they were.
        self.pilot_elsewhere()
        self.date_the_history()

    def pilot(self):
        """QĐ 281 pilot, 2014–2015: 30 families, 6 clans, 6 communities, all recognised."""
        for year in (2014, 2015):
            for name in PILOT_COMMUNES:
                unit = self.commune(name, year)
                if unit is None:
                    continue
                files = [self.new_family(unit, year) for _i in range(5)]
                clan = services.create_clan(
                    by=self.officer,
                    commune=unit,
                    surname=self.rng.choice(THAI_SURNAMES),
                    branch=f"chi {self.villages(unit)[year % 2].name}",
                    representative=self.person()[1],
                )
                files.append(self.register(unit, year, clan))
                files.append(self.register(unit, year, self.villages(unit)[year % 2]))
                self.decide(files, year, recognise_all=True)

    def pilot_elsewhere(self):
        """The pilot sites in the other nine districts (founding report): one commune in each,
        9 in all, with 18 clans, 18 village communities and 316 families, registered in 2015
        and decided as any year's files."""
        year = 2015
        day = datetime.date(year, 6, 30)
        communes = []
        for district in (
            Unit.objects.filter(level=Level.DISTRICT, path__startswith=self.province.path)
            .valid_on(day)
            .exclude(name="Huyện Điện Biên")
            .order_by("name")
        ):
            commune = (
                Unit.objects.filter(level=Level.COMMUNE, parent=district)
                .valid_on(day)
                .exclude(name__in=TRACKS)
                .order_by("name")
                .first()
            )
            if commune is not None:
                communes.append(commune)
        for index, unit in enumerate(communes):
            families = PILOT_FAMILIES // len(communes) + (
                1 if index < PILOT_FAMILIES % len(communes) else 0
            )
            files = [self.new_family(unit, year) for _i in range(families)]
            villages = self.villages(unit)
            for number in range(2):
                clan = services.create_clan(
                    by=self.officer_for(unit),
                    commune=unit,
                    surname=(THAI_SURNAMES + HMONG_SURNAMES)[(index * 2 + number) % 8],
                    branch=f"chi {villages[number % len(villages)].name}",
                    representative=self.person()[1],
                )
                files.append(self.register(unit, year, clan))
                files.append(self.register(unit, year, self.free_village(unit, year)))
            self.decide(files, year)

    def historic_year(self, unit, year):
        last_year = Registration.objects.filter(
            unit_id__in=[unit.pk, *self._predecessors(unit)],
            year=year - 1,
            kind=ModelKind.FAMILY,
            status=Status.RECOGNIZED,
        ).values_list("pk", flat=True)
        chosen = sorted(last_year)[:1]
        files = [
            r.registration
            for r in services.carry_over_registrations(
                by=self.officer_for(unit), unit=unit, year=year, registration_ids=chosen
            )
            if r.ok
        ]
        files += [self.new_family(unit, year) for _i in range(2)]
        if year % 2:
            files.append(self.register(unit, year, self.clan(unit)))
        else:
            files.append(self.register(unit, year, self.free_village(unit, year)))
        if year % 3 == 0:
            files.append(self.register(unit, year, self.school(unit)))
        self.decide(files, year)

    def _predecessors(self, unit):
        return UnitChange.objects.filter(successor=unit).values_list("predecessor_id", flat=True)

    def after_merger(self, year):
        """Today's communes carry over their predecessors' last files; commune → province."""
        done = set()
        for name in TRACKS:
            old = self.commune(name, year - 1)
            new = self.successor(old) if old else None
            if new is None or new.pk in done:
                continue
            done.add(new.pk)
            results = services.carry_over_registrations(
                by=self.officer_for(new), unit=new, year=year
            )
            files = [r.registration for r in results if r.ok]
            files.append(self.new_family(new, year))
            self.decide(files, year, recognise_all=True)
        ward = Unit.objects.current().filter(name="Phường Mường Thanh").first()
        if ward is not None and ward.pk not in done:
            self.decide([self.new_family(ward, year) for _i in range(3)], year, recognise_all=True)

    def this_year_files(self):
        """This year: Xã Mường Phăng's files waiting at each step, and a few elsewhere."""
        year = self.this_year
        commune = Unit.objects.current().filter(level=Level.COMMUNE, name="Xã Mường Phăng").first()
        if commune is not None:
            officer = self.officer_for(commune)
            results = services.carry_over_registrations(by=officer, unit=commune, year=year)
            files = [r.registration for r in results if r.ok]
            files += [self.new_family(commune, year) for _i in range(4)]
            files.append(self.register(commune, year, self.clan(commune)))
            files.append(self.register(commune, year, self.free_village(commune, year)))
            steps = ["registered", "scored", "proposed", "returned", "recognised", "withdrawn"]
            for index, registration in enumerate(files):
                self.leave_at(registration, steps[index % len(steps)], officer)
        for name, count in (("Phường Mường Thanh", 3), ("Xã Thanh Nưa", 2), ("Xã Mường Nhà", 2)):
            unit = Unit.objects.current().filter(level=Level.COMMUNE, name=name).first()
            if unit is None:
                continue
            officer = self.officer_for(unit)
            for index in range(count):
                steps = ["proposed", "registered", "recognised"]
                self.leave_at(self.new_family(unit, year), steps[index % 3], officer)

    def leave_at(self, registration, step, officer):
        if step == "registered":
            return
        if step == "withdrawn":
            services.withdraw_registration(
                registration, by=officer, reason=self.rng.choice(WITHDRAW_REASONS)
            )
            return
        services.save_scores(registration, by=officer, points=self.points(registration))
        if step == "scored":
            return
        registration = services.propose_registration(registration, by=officer)
        if step == "returned":
            reason, number, note = self.rng.choice(RETURN_REASONS)
            criteria = {c.number: c for c in registration.criteria_set.criteria.all()}
            criterion = criteria.get(number) or next(iter(criteria.values()))
            services.return_registration(
                registration, by=self.approver, reason=reason, criterion_notes={criterion: note}
            )
            return
        registration = self.pass_district(registration)
        if step == "recognised":
            registration = services.approve_registration(registration, by=self.approver)
            # Xã Mường Phăng's decision of this year is still a draft (not public yet).
            if registration.unit.name != "Xã Mường Phăng":
                services.issue_decision(registration, by=self.approver)

    def date_the_history(self):
        """Give past years' events dates in their year: registration early in the year, the
        rest from November on, in the order they happened."""
        zone = timezone.get_current_timezone()
        events = list(
            RegistrationEvent.objects.filter(registration__year__lt=self.this_year)
            .select_related(None)
            .values_list("pk", "action", "registration__year")
            .order_by("pk")
        )
        by_year = {}
        for pk, action, year in events:
            by_year.setdefault(year, []).append((pk, action))
        updates = []
        for year, rows in by_year.items():
            start = datetime.datetime(year, 11, 1, 8, 0, tzinfo=zone)
            step = datetime.timedelta(minutes=max(1, (50 * 24 * 60) // max(1, len(rows))))
            for position, (pk, action) in enumerate(rows):
                if action == Action.REGISTER:
                    at = datetime.datetime(year, 2, 10, 8, 0, tzinfo=zone) + position * (
                        datetime.timedelta(minutes=1)
                    )
                else:
                    at = start + position * step
                updates.append(RegistrationEvent(pk=pk, at=at))
        RegistrationEvent.objects.bulk_update(updates, ["at"], batch_size=500)
