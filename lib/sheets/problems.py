"""What is wrong with an upload, said so that a person can fix it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, a header or a cell, said so that a person can fix it.

    `row` and `column_header` are as the person sees them in Excel (row number, header text);
    None for the file as a whole. `message` is the full sentence, naming row and column;
    `detail` is the same without the place, for tables that show row and column apart.
    """

    sheet: str
    row: int | None
    column_header: str | None
    message: str
    detail: str = ""

    def __str__(self):
        return self.message


class SheetError(Exception):
    """The file as a whole cannot be read: nothing in it may be imported."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def file_problem(message, sheet=""):
    """A problem with the file or a sheet as a whole (no row, no column)."""
    return Problem(sheet=sheet, row=None, column_header=None, message=message, detail=message)


def refuse(message, sheet=""):
    """Stop reading: the file as a whole cannot be used, for the reason `message` gives."""
    raise SheetError([file_problem(message, sheet)])
