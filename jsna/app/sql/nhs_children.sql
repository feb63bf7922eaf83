-- The English NHS areas of one type directly under one parent (2022/23 membership), by name:
-- the options of one hierarchical picker. Params: $parent_code, $area_type
select area_code, area_name
from nhs_areas
where parent_code = $parent_code and area_type = $area_type
order by area_name, area_code
