-- After the loads: statistics gathered and nothing left to write on first
-- read, as in a database that has been running for a while.  bench/run
-- vacuums the tables first (vacuumdb, in parallel).
CHECKPOINT;
