-- One QOF register for every English NHS area of one type inside a parent area (2022/23
-- membership; a PCN counts under its listed sub-ICB), shaped like indicator_values rows.
-- Params: $indicator_id, $area_type, $parent_code, $parent_type
select * exclude (region_code, icb_code, sub_icb_code, pcn_code)
from national_profile
where indicator_id = $indicator_id and area_type = $area_type
  and nhs_inside(region_code, icb_code, sub_icb_code, pcn_code, $parent_code, $parent_type)
order by value desc nulls last, area_name
