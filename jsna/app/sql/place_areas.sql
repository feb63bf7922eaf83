-- The areas of one type inside a local authority (its neighbourhoods, PCNs, wards, practices
-- and LSOAs, through the parent links), in profile order; the local authority itself for its
-- own type. Params: $la_code, $area_type
with recursive inside(area_code) as (
    select $la_code
    union
    select a.area_code from areas as a join inside as i on a.parent_code = i.area_code
)
select a.area_code, a.area_name, a.area_type, a.vintage, a.parent_code
from areas as a
join inside using (area_code)
where a.area_type = $area_type
order by a.sort_order
