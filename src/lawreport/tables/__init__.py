"""Tables: the schemas (:mod:`~lawreport.tables.schemas`), records -> rows
(:mod:`~lawreport.tables.rows`), one sink per output format (:mod:`~lawreport.tables.formats`),
the streaming writer (:mod:`~lawreport.tables.writer`), the layout of an output folder
(:mod:`~lawreport.tables.folder`) and reading tables back (:mod:`~lawreport.tables.frames`)."""
