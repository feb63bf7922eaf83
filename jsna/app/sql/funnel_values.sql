-- One row per area of a type (ward or practice) and sex for one indicator at its headline
-- period, with count, denominator, the council and England values and the CI method (a funnel
-- plot needs counts and denominators). Params: $indicator_id, $area_type
select p.area_code, p.area_name, p.area_type, p.vintage, p.indicator_id, p.indicator_name,
       p.period, p.sex, p.unit, p.value_type, p.polarity, p.value, p.count, p.denominator,
       p.england_value, p.la_value, p.method, p.note, i.ci_method
from profile as p
join indicators as i using (indicator_id)
join areas as a using (area_code)
where p.indicator_id = $indicator_id and p.area_type = $area_type and p.period = i.period
order by a.sort_order, p.sex
