-- How many English NHS areas of each type lie inside a parent area (2022/23 membership; a
-- PCN counts under its listed sub-ICB). Params: $parent_code, $parent_type
select area_type, count(*) as n
from nhs_areas
where area_type <> 'england'
  and nhs_inside(region_code, icb_code, sub_icb_code, pcn_code, $parent_code, $parent_type)
group by area_type
