"""Stage 1, read: find report files (:mod:`~lawreport.reading.discover`), read and decode one
(:mod:`~lawreport.reading.source`: byte-order marks, UTF-8, GB18030 against Big5 in
:mod:`~lawreport.reading.encoding`; HTML to lines in :mod:`~lawreport.reading.html`).
Result: :class:`~lawreport.records.SourceText`."""
