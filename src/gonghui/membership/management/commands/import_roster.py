from __future__ import annotations

from gonghui.core.management.commands import import_file


class Command(import_file.Command):
    help = (
        "Check (and with --apply, import) a roster file into a union. The last line printed "
        'is one JSON object: {"rows", "new", "updated", "unchanged", "invalid", "report"}.'
    )
    kind = "roster"
