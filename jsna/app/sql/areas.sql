-- One row per area of the given type (england, local_authority, neighbourhood, pcn, ward,
-- practice, lsoa), in profile order. Params: $area_type
select area_code, area_name, area_type, vintage, parent_code
from areas
where area_type = $area_type
order by sort_order
