"""Quality as a library: :func:`~lawreport.qa.check.check` (the CI gate: findings per file in
text, JSON or JUnit, an outcome that passes or fails; codes in :mod:`~lawreport.qa.checks`) and
:func:`~lawreport.qa.evaluate.evaluate` (scores against a hand-made reference, judged against
thresholds)."""
