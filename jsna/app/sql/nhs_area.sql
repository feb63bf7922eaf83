-- The English NHS area (practice, PCN, sub-ICB, ICB, region or England) with this code and
-- the path of areas above it, with names (zero rows if unknown; NHS England's 2022/23
-- membership). A practice's path runs through its PCN's listed sub-ICB (the one holding most
-- of the PCN's practices); own_sub_icb_code is the practice's own. Params: $area_code
with a as (
    select a.*,
           coalesce(pc.region_code, a.region_code) as path_region,
           coalesce(pc.icb_code, a.icb_code) as path_icb,
           coalesce(pc.sub_icb_code, a.sub_icb_code) as path_sub_icb
    from nhs_areas as a
    left join nhs_areas as pc on pc.area_code = a.pcn_code and pc.area_type = 'pcn'
    where a.area_code = upper(trim($area_code))
)
select a.area_code, a.area_name, a.area_type, a.parent_code, a.parent_type, a.membership,
       a.path_region as region_code, r.area_name as region_name,
       a.path_icb as icb_code, i.area_name as icb_name,
       a.path_sub_icb as sub_icb_code, s.area_name as sub_icb_name,
       a.pcn_code, p.area_name as pcn_name,
       a.sub_icb_code as own_sub_icb_code, o.area_name as own_sub_icb_name
from a
left join nhs_areas as r on r.area_code = a.path_region and r.area_type = 'region'
left join nhs_areas as i on i.area_code = a.path_icb and i.area_type = 'icb'
left join nhs_areas as s on s.area_code = a.path_sub_icb and s.area_type = 'sub_icb'
left join nhs_areas as p on p.area_code = a.pcn_code and p.area_type = 'pcn'
left join nhs_areas as o on o.area_code = a.sub_icb_code and o.area_type = 'sub_icb'
order by case a.area_type when 'england' then 0 when 'region' then 1 when 'icb' then 2
         when 'sub_icb' then 3 when 'pcn' then 4 else 5 end
