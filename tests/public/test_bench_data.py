"""generate_bench_data: realistic rows the public search can measure, consistent with what
the services store, unique codes, repeatable runs."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from models_learning.models import Recognition, Registration
from models_learning.services.recognitions import CODE_ALPHABET
from models_learning.services.registrations import subject_texts
from models_learning.workflow import Status

from .conftest import bench

pytestmark = pytest.mark.django_db


def test_bench_rows_look_like_the_services_own(tree):
    bench(300)
    assert Recognition.objects.count() == 300
    registrations = Registration.objects.select_related(
        "household__village", "clan", "village", "organisation", "unit"
    )
    kinds = set()
    for registration in registrations:
        kinds.add(registration.kind)
        assert (registration.subject_name, registration.search_text) == subject_texts(
            registration.subject
        )
        assert registration.status in (Status.RECOGNIZED, Status.REVOKED)
        # Each file sits in a commune that existed at the end of its year.
        unit = registration.unit
        assert unit.valid_to is None or unit.valid_to.year >= registration.year
        assert unit.valid_from is None or unit.valid_from.year <= registration.year
    assert kinds >= {"family", "clan"}
    names = " ".join(registrations.values_list("subject_name", flat=True))
    for letter in "ăâđêôơư":
        assert letter in names.lower(), letter


def test_codes_are_unique_and_a_second_run_adds_more(tree):
    bench(200, seed=1)
    bench(200, seed=1)
    codes = list(Recognition.objects.values_list("certificate_code", flat=True))
    assert len(codes) == len(set(codes)) == 400
    assert all(re.fullmatch(rf"BN-\d{{4}}-[{CODE_ALPHABET}]{{6}}", code) for code in codes)
    revoked = Recognition.objects.filter(revoked_at__isnull=False)
    assert set(revoked.values_list("registration__status", flat=True)) <= {Status.REVOKED}


def test_bench_data_needs_the_unit_tree(db):
    with pytest.raises(CommandError, match="load_units"):
        call_command("generate_bench_data", recognitions=5, stdout=io.StringIO())
