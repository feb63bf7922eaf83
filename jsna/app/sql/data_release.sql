-- The data release this database was built from: one row per source file read, with its
-- id, period, publisher, licence, public origin and sha256. No params.
select source_id, path, period, publisher, licence, origin, derivation, bytes, sha256
from data_release
order by path
