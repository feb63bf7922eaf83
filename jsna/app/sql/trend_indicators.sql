-- One row per indicator and area with more than one period: which series a trend can be drawn
-- for. No params.
select p.indicator_id, p.area_code, p.area_type, count(distinct p.period) as periods
from profile as p
join indicators as i using (indicator_id)
where p.value is not null
group by p.indicator_id, p.area_code, p.area_type, i.domain_order, i.sort_order
having count(distinct p.period) > 1
order by i.domain_order, i.sort_order
