-- One row per member area (ward or practice) and indicator of a group (neighbourhood or
-- PCN), at each indicator's headline period. Params: $benchmark (default, england, la, peers), $group_code
select p.*
from profile_all as p
join indicators as i using (indicator_id)
join area_members as m on m.member_code = p.area_code
join areas as a on a.area_code = p.area_code
where m.group_code = $group_code and p.period = i.period
  and p.benchmark_key = $benchmark
order by p.domain_order, p.sort_order, a.sort_order, p.sex
