"""Stage 4, outline: the tree of numbered parts (:mod:`~lawreport.outline.parse`, heading styles
in ``data/outline/styles.toml``) and the labels of the top-level parts from the report kind's
cues (:mod:`~lawreport.outline.labels`, ``data/kinds/<kind>/labels.toml``).
Result: :class:`~lawreport.records.Outline`."""
