"""Spreadsheets in and out: one column spec for import, export and the Excel template.

    from lib.sheets import Column, Kind, SheetSpec, read_rows, stream_xlsx

The model-specific importers and export views build a `SheetSpec` and call these functions;
nothing here touches the database.
"""

from .columns import Column, Kind, SheetSpec, clean_text, neutralise, unneutralise
from .problems import Problem, SheetError
from .reading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    ParsedRow,
    ReadResult,
    Sheet,
    open_sheet,
    read_rows,
)
from .templates import build_template, template_response
from .writing import iter_csv, stream_csv, stream_xlsx, write_xlsx

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "Column",
    "Kind",
    "ParsedRow",
    "Problem",
    "ReadResult",
    "Sheet",
    "SheetError",
    "SheetSpec",
    "build_template",
    "clean_text",
    "iter_csv",
    "neutralise",
    "open_sheet",
    "read_rows",
    "stream_csv",
    "stream_xlsx",
    "template_response",
    "unneutralise",
    "write_xlsx",
]
