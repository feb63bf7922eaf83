-- One row per area of a type (and sex) for one indicator at its headline period, with
-- England, the council and the comparison. Params: $benchmark (default, england, la, peers), $indicator_id, $area_type
select p.*
from profile_all as p
join indicators as i using (indicator_id)
join areas as a using (area_code)
where p.indicator_id = $indicator_id and p.area_type = $area_type and p.period = i.period
  and p.benchmark_key = $benchmark
order by a.sort_order, p.sex
