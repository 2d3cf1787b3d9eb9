"""Stage 2, normalise: width folding, traditional -> simplified, invisible characters, pinyin
glosses and web-page chrome cut, run-on lines broken, with a map back to source offsets
(:mod:`~lawreport.text.normalize`; line kinds in :mod:`~lawreport.text.chrome`, titles in
:mod:`~lawreport.text.title`). Result: :class:`~lawreport.records.Normalized`. Data: ``data/text/``."""
