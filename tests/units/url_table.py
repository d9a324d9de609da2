from tests.urltable import Row, staff

ROWS = [
    Row("units:tree", staff()),
]
