-- One row per area of a type for each of two indicators (persons only) at their headline
-- periods, with the area's parent (neighbourhood or PCN) for colouring.
-- Params: $x_indicator, $y_indicator, $area_type
select p.area_code, p.area_name, a.vintage, a.parent_code, g.area_name as parent_name,
       p.indicator_id, p.indicator_name, p.period, p.unit, p.value_type, p.value, p.count,
       p.denominator, p.note
from profile as p
join indicators as i using (indicator_id)
join areas as a on a.area_code = p.area_code
left join areas as g on g.area_code = a.parent_code
where p.indicator_id in ($x_indicator, $y_indicator) and p.area_type = $area_type
  and p.period = i.period and p.sex = 'Persons'
order by a.sort_order, p.indicator_id
