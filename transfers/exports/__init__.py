"""Exports of the staff lists to Excel and CSV: the rows the person sees, filters applied.

    rows.py   per list: the same scoped queryset and filter form as the list's page, read in
              chunks (`iterator(chunk_size=…)`)
    specs.py  columns of the lists that have no import; the others use transfers.imports.specs
    views.py  one view per list, `.xlsx` or `.csv`, streamed (lib.sheets)

The `{% download_links "exports:registrations" %}` tag (lib/download_links.py) puts the two
links, with the page's query string, on a list's page.
"""
