-- One row per ward set of the place, with its words and map layers, in profile order. No params.
select * exclude (sort_order) from place_ward_sets order by sort_order
