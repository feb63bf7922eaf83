-- The indicators with a value at their headline period for some area of one type, in
-- profile order. Params: $area_type
select i.indicator_id
from indicators as i
where exists (
    select 1 from indicator_values as v join areas as a using (area_code)
    where v.indicator_id = i.indicator_id and v.period = i.period and a.area_type = $area_type
)
order by i.domain_order, i.sort_order
