-- One row per LSOA set of the place and the ward set it is best-fitted to, in profile order.
-- No params.
select * exclude (sort_order) from place_lsoa_sets order by sort_order
