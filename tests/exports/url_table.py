"""Every export URL × the four personas (see tests/urltable.py): each signed-in person gets the
rows of their own scope (tests/exports checks which), anonymous visitors the login page."""

from khuyenhoc.exports.views import EXPORTS, FORMATS
from tests.urltable import Row, staff

ROWS = [Row(f"exports:{name}-{fmt}", staff()) for name in EXPORTS for fmt in FORMATS]
