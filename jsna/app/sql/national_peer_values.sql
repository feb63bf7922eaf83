-- Every QOF register for a few English PCNs (a PCN and the PCNs most like it): one row per
-- PCN and register, with the values needed to compare it with its peers.
-- Params: $codes (a list of PCN codes)
select v.area_code, a.area_name, v.indicator_id, i.indicator_name, i.sort_order,
       v.count, v.denominator, v.value, v.lower_ci95, v.upper_ci95, v.england_value
from national_values as v
join nhs_areas as a on a.area_code = v.area_code and a.area_type = 'pcn'
join indicators as i on i.indicator_id = v.indicator_id
where v.area_type = 'pcn' and list_contains($codes, v.area_code)
order by i.sort_order, v.area_code
