-- One row per indicator (and sex) at its headline period: the lowest, quartiles and highest
-- value among areas of one type (the grey bars of a spine chart). Params: $area_type
select p.indicator_id, p.sex,
       min(p.value) as min_value,
       quantile_cont(p.value, 0.25) as q25,
       quantile_cont(p.value, 0.75) as q75,
       max(p.value) as max_value,
       count(p.value) as n_areas
from profile as p
join indicators as i using (indicator_id)
where p.area_type = $area_type and p.period = i.period and p.value is not null
group by p.indicator_id, p.sex
