-- One row per proportion indicator that has LSOA counts and denominators (so it can be pooled
-- by IMD decile), in profile order. No params.
select i.indicator_id, i.indicator_name, i.unit, i.period, i.polarity, i.sources
from indicators as i
where i.value_type = 'proportion'
  and exists (
    select 1 from profile as p
    where p.indicator_id = i.indicator_id and p.area_type = 'lsoa' and p.period = i.period
      and p.count is not null and p.denominator is not null
  )
order by i.domain_order, i.sort_order
