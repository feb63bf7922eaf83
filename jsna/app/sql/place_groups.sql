-- One row per neighbourhood, PCN and peer group of the place, in profile order. No params.
select group_type, group_code, group_name, description from place_groups order by sort_order
