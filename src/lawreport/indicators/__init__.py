"""Stage 5, indicators: every number with its value, unit, qualifier, subject and standard name.
Find (:mod:`~lawreport.indicators.scan`: the regex scans a compiled core would replace), then
resolve (:mod:`~lawreport.indicators.values`, :mod:`~lawreport.indicators.subjects`), in the
candidate loop of :mod:`~lawreport.indicators.find`; rules are data in rule packs
(:mod:`~lawreport.indicators.rulepack`, ``data/rules/``), each rule's examples run by
:mod:`~lawreport.indicators.rulecheck`. Result: :class:`~lawreport.records.Indicator` records."""
