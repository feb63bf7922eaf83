-- How many English NHS areas of each type lie inside a parent area (2022/23 membership; a
-- PCN counts under its listed sub-ICB). Params: $parent_code, $parent_type
select area_type, count(*) as n
from nhs_areas
where case $parent_type
        when 'england' then area_type <> 'england'
        when 'region' then region_code = $parent_code
        when 'icb' then icb_code = $parent_code
        when 'sub_icb' then sub_icb_code = $parent_code
        when 'pcn' then pcn_code = $parent_code
        else false
      end
group by area_type
