"""The privacy rule, enforced over the demo data: public pages never show phone numbers,
ID or birth years, family members, scores, reviewers' notes or evidence.

The demo is loaded, then given private details it lacks (a phone for every household, score
notes, evidence), and every public page is read: the home page, every page of the search
(all, per title, per year), every recognition's page and certificate check, the statistics
of every year both ways, the centres' pages, robots.txt and the sitemap.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from centers.models import LearningCenter
from models_learning import public
from models_learning.models import (
    Evidence,
    Household,
    HouseholdMember,
    ModelKind,
    Registration,
    RegistrationEvent,
    Score,
)
from reporting import stats
from units.selectors import portal_province

pytestmark = pytest.mark.django_db

# Words of the staff pages' labels that a public page of the learning models never needs.
# The ID-card abbreviations as whole words: a random certificate code may hold "CCCD".
FORBIDDEN_LABELS = re.compile(
    r"điện thoại|năm sinh|ngày sinh|thành viên|căn cước|\bCMND\b|\bCCCD\b"
    r"|điểm|minh chứng|ghi chú|lý do",
    re.IGNORECASE,
)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-accounts", stdout=io.StringIO())
    settings.DEBUG = False
    # Private details the demo lacks, so that a leak would show.
    Household.objects.update(phone=Concat(Value("09"), Cast(F("id") + 10_000_000, CharField())))
    registrations = list(public.recognised()[:40])
    for registration in registrations:
        Score.objects.filter(registration=registration).update(
            note=Concat(Value("Ghi chú chấm điểm riêng số "), Cast(F("id"), CharField()))
        )
        Evidence.objects.create(
            registration=registration,
            file=f"evidence/bi-mat-{registration.pk}.pdf",
            original_name=f"minh-chung-rieng-{registration.pk}.pdf",
            content_type="application/pdf",
            size=100,
            description=f"Ảnh sổ hộ khẩu riêng {registration.pk}",
        )


def private_values():
    """Strings that must never appear on a public page."""
    subject_names = set(Registration.objects.values_list("subject_name", flat=True))
    values = set(Household.objects.exclude(phone="").values_list("phone", flat=True))
    values |= set(Score.objects.exclude(note="").values_list("note", flat=True))
    values |= set(RegistrationEvent.objects.exclude(reason="").values_list("reason", flat=True))
    values |= set(
        Registration.objects.filter(recognition__isnull=False)
        .exclude(recognition__revoke_reason="")
        .values_list("recognition__revoke_reason", flat=True)
    )
    for name, description in Evidence.objects.values_list("original_name", "description"):
        values |= {name, description}
    members = set(HouseholdMember.objects.values_list("name", flat=True))
    # A member whose name is also some subject's name (the head, or a namesake) is public as
    # that subject: only the others can be told apart as leaks.
    values |= members - subject_names
    return {value for value in values if value}


def assert_clean(html, url, forbidden, *, labels=True):
    text = html.split('<main id="main"', 1)[-1]
    for value in forbidden:
        assert value not in text, f"{url} shows private data: {value!r}"
    if labels:
        match = FORBIDDEN_LABELS.search(re.sub(r"<[^>]+>", " ", text))
        assert match is None, f"{url} shows a private field label: {match.group(0)!r}"


def pages_of(client, params):
    url = reverse("models_learning-public:recognition-search")
    first = client.get(url, params)
    assert first.status_code == 200
    yield f"{url}?{params}", first
    for number in range(2, first.context["page_obj"].num_pages + 1):
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200
        yield f"{url}?{params}&page={number}", response


def test_no_public_page_shows_private_data(client, demo):
    forbidden = private_values()
    assert len(forbidden) > 500  # the scan below has something to look for
    scanned = 0

    def scan(url, response, labels=True):
        nonlocal scanned
        assert response.status_code == 200, url
        assert_clean(response.content.decode(), url, forbidden, labels=labels)
        scanned += 1

    home = client.get("/")
    scan("/", home)
    assert 'data-testid="centre-bands"' in home.content.decode()
    for params in (
        {},
        *({"kind": kind} for kind in ModelKind.values),
        *({"year": year} for year in range(2014, 2027)),
        {"q": "nguyen"},
        {"q": "lo van"},
    ):
        for url, response in pages_of(client, params):
            scan(url, response)

    # Every recognition's own page and its certificate check, with that household's own
    # details (its head's and members' years of birth, its total score) checked as well.
    # A decision not issued yet is a draft: no public page at all.
    drafts = Registration.objects.filter(recognition__issued_at__isnull=True).exclude(
        recognition=None
    )
    assert drafts.exists()
    for code in drafts.values_list("recognition__certificate_code", flat=True):
        for name in ("recognition-detail", "verify"):
            url = reverse(f"models_learning-public:{name}", args=[code])
            assert client.get(url).status_code == 404, url
    rows = Registration.objects.filter(recognition__issued_at__isnull=False).select_related(
        "recognition", "household"
    )
    for registration in rows:
        code = registration.recognition.certificate_code
        years = set()
        if registration.household:
            years.add(registration.household.head_birth_year)
            years |= set(registration.household.members.values_list("birth_year", flat=True))
        # Birth years are before 2010; the public years (2014 on) and dates cannot mix them up.
        years = {year for year in years if year and year < 2010}
        scores = set()
        if registration.total_score is not None:
            total = str(registration.total_score)
            scores = {total, total.replace(".", ",")}
        for name in ("recognition-detail", "verify"):
            url = reverse(f"models_learning-public:{name}", args=[code])
            response = client.get(url)
            scan(url, response)
            main = response.content.decode().split('<main id="main"', 1)[-1]
            for year in years:
                assert not re.search(rf"\b{year}\b", main), f"{url} shows a year of birth"
            assert_clean(main, url, scores, labels=False)

    province = portal_province()
    for year in stats.stats_years(province, stats.member_totals(province)):
        for view in stats.VIEWS:
            url = f"{reverse('public-stats')}?year={year}&view={view}"
            scan(url, client.get(url))
    for url in ("/verify/", "/robots.txt", "/sitemap.xml"):
        scan(url, client.get(url))
    assert scanned > 1_000

    # The centres' public pages (same demo, loaded once): never a director, phone or e-mail.
    check_centre_pages(client)

    # And the demo's figures read as the founding report tells: 2018, 29 tốt and 77 khá.
    centres = client.get(reverse("public-stats"), {"year": "2018"}).content.decode()
    centres = centres.split('id="centres"', 1)[1]
    assert ">29 <" in centres and ">77 <" in centres and ">130<" in centres


def check_centre_pages(client):
    forbidden = set()
    for phone, email, director in LearningCenter.objects.values_list("phone", "email", "director"):
        forbidden |= {value for value in (phone, email, director) if value}
    assert forbidden
    directory = reverse("centers-public:center-directory")
    assert_clean(client.get(directory).content.decode(), directory, forbidden, labels=False)
    for pk in LearningCenter.objects.values_list("pk", flat=True):
        url = reverse("centers-public:center-detail", args=[pk])
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(response.content.decode(), url, forbidden, labels=False)
