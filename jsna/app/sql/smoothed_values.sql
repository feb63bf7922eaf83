-- One row per area of a type (and sex) for one indicator at its headline period: its
-- smoothed value, 95% credible interval and chance of being higher than its benchmark
-- (the build's `smoothed_values`; wards and LSOAs only). Params: $indicator_id, $area_type
select s.area_code, s.sex, s.age, s.smoothed_value, s.smoothed_lower95, s.smoothed_upper95,
       s.p_higher, s.higher_than, s.towards, s.areas_pooled
from smoothed_values as s
join indicators as i using (indicator_id)
join areas as a using (area_code)
where s.indicator_id = $indicator_id and a.area_type = $area_type and s.period = i.period
order by a.sort_order, s.sex
