-- One row per area, period and sex of one indicator: the chosen area with the council and England,
-- every period, compared with a benchmark. Params: $indicator_id, $benchmark (default,
-- england, la, peers), $area_code, $la_code, $england_code
select p.area_code, p.area_name, p.area_type, p.indicator_id, p.indicator_name, p.period,
       p.sex, p.age, p.unit, p.value_type, p.polarity, p.value, p.lower_ci95, p.upper_ci95,
       p.count, p.denominator, p.benchmark, p.benchmark_value, p.comparison,
       p.comparison_reason, p.method, p.note
from profile_all as p
where p.indicator_id = $indicator_id and p.benchmark_key = $benchmark
  and p.area_code in ($area_code, $la_code, $england_code)
order by p.area_code, p.sex, p.period
