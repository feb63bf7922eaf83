-- One row per area and indicator (and sex) at each indicator's headline period, for the
-- overview grid: England, the council, its neighbourhoods, its PCNs and, when $ward_parent names a
-- neighbourhood, its wards. Params: $benchmark (default, england, la, peers), $ward_parent,
-- $la_code
select p.area_code, p.area_name, p.area_type, a.vintage, a.parent_code, a.sort_order as area_order,
       p.indicator_id, p.indicator_name, p.domain, p.domain_order, p.sort_order, p.period,
       p.sex, p.unit, p.value_type, p.polarity, p.value, p.lower_ci95, p.upper_ci95, p.count,
       p.denominator, p.benchmark, p.benchmark_value, p.comparison, p.comparison_reason,
       p.is_estimate, p.note
from profile_all as p
join indicators as i using (indicator_id)
join areas as a on a.area_code = p.area_code
where p.period = i.period and p.benchmark_key = $benchmark
  and (a.area_type = 'england' or a.area_code = $la_code
       or (a.area_type in ('neighbourhood', 'pcn') and a.parent_code = $la_code)
       or (a.area_type = 'ward' and a.parent_code = $ward_parent))
order by p.domain_order, p.sort_order, p.sex, a.sort_order
