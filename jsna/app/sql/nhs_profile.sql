-- Every QOF register for one English NHS area (2022/23 membership), shaped like rows of the
-- profile view (compared with England; no judgement), with rank and decile among the areas
-- of its type. Params: $area_code, $area_type
select * exclude (region_code, icb_code, sub_icb_code, pcn_code)
from national_profile
where area_code = $area_code and area_type = $area_type
order by domain_order, sort_order
