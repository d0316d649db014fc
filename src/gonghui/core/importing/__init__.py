"""The one import engine: spreadsheet reading, the importer registry the domains fill from
their ``ready()``, the services and tasks, the pages, and the retention of uploaded files
(docs/architecture.md, "How an import works")."""
