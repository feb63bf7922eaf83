-- One row per ward (both vintages), indicator and sex at each indicator's headline period,
-- compared with one benchmark: the raw material for a custom area (jsna/app/custom.py pools it).
-- Params: $benchmark (default, england, la, peers)
select p.*
from profile_all as p
join indicators as i using (indicator_id)
join areas as a using (area_code)
where p.area_type = 'ward' and p.period = i.period and p.benchmark_key = $benchmark
order by p.domain_order, p.sort_order, a.sort_order, p.sex
