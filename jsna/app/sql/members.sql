-- One row per member area (ward or practice) of a group (neighbourhood, PCN, the council).
-- Params: $group_code
select a.area_code, a.area_name, a.area_type, a.vintage
from area_members as m
join areas as a on a.area_code = m.member_code
where m.group_code = $group_code
order by a.sort_order
