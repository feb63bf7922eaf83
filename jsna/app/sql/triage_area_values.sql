-- One row per area of a type, indicator and sex at each indicator's headline period, with the
-- comparison with a benchmark (for "worst neighbourhood per indicator").
-- Params: $area_type, $benchmark (default, england, la, peers)
select p.area_code, p.area_name, p.area_type, p.indicator_id, p.indicator_name, p.domain,
       p.domain_order, p.sort_order, p.period, p.sex, p.unit, p.value_type, p.polarity,
       p.value, p.lower_ci95, p.upper_ci95, p.count, p.denominator, p.england_value,
       p.la_value, p.benchmark, p.benchmark_value, p.comparison, p.comparison_reason,
       p.is_estimate, p.note
from profile_all as p
join indicators as i using (indicator_id)
join areas as a using (area_code)
where p.area_type = $area_type and p.period = i.period and p.benchmark_key = $benchmark
order by p.domain_order, p.sort_order, p.sex, a.sort_order
