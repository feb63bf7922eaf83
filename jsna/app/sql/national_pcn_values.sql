-- One row per English PCN for one QOF register (2022/23 membership), with its context
-- (list size, % aged 65+, IMD score) and its sub-ICB, ICB and region. Params: $indicator_id
select v.area_code, a.area_name, v.count, v.denominator, v.value,
       v.lower_ci95, v.upper_ci95, v.lower_ci998, v.upper_ci998, v.england_value,
       v.comparison, v.rank, v.of, v.decile, v.note, v.membership,
       v.rank_lower, v.rank_upper, v.p_decile, v.among_peers,
       c.list_size, c.pct_65_plus, c.imd_score, c.coverage,
       s.area_code as sub_icb_code, s.area_name as sub_icb_name,
       i.area_name as icb_name, r.area_name as region_name
from national_values as v
join nhs_areas as a on a.area_code = v.area_code and a.area_type = 'pcn'
left join pcn_context as c on c.pcn_code = v.area_code
left join nhs_areas as s on s.area_code = a.parent_code and s.area_type = 'sub_icb'
left join nhs_areas as i on i.area_code = s.parent_code and i.area_type = 'icb'
left join nhs_areas as r on r.area_code = i.parent_code and r.area_type = 'region'
where v.indicator_id = $indicator_id and v.area_type = 'pcn'
order by v.value desc nulls last
