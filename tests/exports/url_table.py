"""Every export URL × the four personas (see tests/urltable.py): each signed-in person gets the
rows of their own scope (tests/exports checks which), anonymous visitors the login page."""

from tests.urltable import Row, staff
from transfers.exports.views import EXPORTS, FORMATS

ROWS = [Row(f"exports:{name}-{fmt}", staff()) for name in EXPORTS for fmt in FORMATS]
