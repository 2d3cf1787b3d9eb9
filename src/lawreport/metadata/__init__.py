"""Stage 3, describe: title, issuing body, place, report year, publish and sign-off dates
(:mod:`~lawreport.metadata.describe`; the body in :mod:`~lawreport.metadata.agency`, the
sign-off in :mod:`~lawreport.metadata.closing`, places in :mod:`~lawreport.metadata.gazetteer`).
Result: :class:`~lawreport.records.DocumentMeta`. Data: ``data/metadata/``."""
