-- One row per indicator (and sex) for one area at each indicator's headline period, in
-- profile order, with England, the council and the comparison. Params: $benchmark (default, england, la, peers), $area_code
select p.*
from profile_all as p
join indicators as i using (indicator_id)
where p.area_code = $area_code and p.period = i.period
  and p.benchmark_key = $benchmark
order by p.domain_order, p.sort_order, p.sex
