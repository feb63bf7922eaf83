-- One row per proportion indicator with practice values and confidence intervals (QOF
-- registers, smoking, ...), in profile order. No params.
select i.indicator_id, i.indicator_name, i.unit, i.period, i.sources
from indicators as i
where i.value_type = 'proportion'
  and exists (
    select 1 from profile as p
    where p.indicator_id = i.indicator_id and p.area_type = 'practice' and p.period = i.period
      and p.lower_ci95 is not null
  )
order by i.domain_order, i.sort_order
