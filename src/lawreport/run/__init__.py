"""Many reports: :func:`~lawreport.run.batch.extract` adds files to the dataset of an output
folder, through executors (in process, a pool of workers, Dask) with bounded memory, a row
cache in the manifest (keyed by :mod:`~lawreport.run.cachekey`), one commit for all tables
(:mod:`~lawreport.run.commit`), ownership of the folder and a lock."""
