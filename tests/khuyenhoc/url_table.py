from tests.urltable import Row, staff

ROWS = [
    Row("portal-home", staff()),
]
