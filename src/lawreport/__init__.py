"""lawreport: turn Chinese rule-of-law government annual reports into clean tables.

The library comes first; ``lawreport.cli`` is a thin layer over it. Main entry points:

- :func:`lawreport.pipeline.process_file` -- one file to typed records;
- :func:`lawreport.batch.extract` -- many files to tables on disk;
- :func:`lawreport.normalize.normalize` and :func:`lawreport.metadata.describe`.
"""

from __future__ import annotations

__version__ = "0.1.0"
