"""Spreadsheet imports: templates, a preview that checks every row, then the import.

    kinds.py      what can be imported (households, clans, village communities, centre
                  reports, centre self-assessments): spec, importer, who may import where
    specs.py      the columns of each kind (the exports of the same kind use them too)
    importers.py  one row -> the same service calls as the forms, and what it changed
    engine.py     reads the file in streaming mode; `check` tries every row inside a savepoint
                  that is rolled back, `apply` writes them in one transaction
    services.py   upload -> check -> import, inline for small files, as a job for large ones
                  (the runners are in transfers/jobs.py)

Nothing is written to the portal's data before the person chooses to import; an import is
all or nothing, or writes only the rows still valid when the person chose "valid rows only".
"""
