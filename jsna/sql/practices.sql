-- One row per GP practice: PCN, list size, site neighbourhood and location. No params.
select p.*, a.area_name as neighbourhood_name
from practices as p
left join areas as a on a.area_code = p.neighbourhood_code
order by p.pcn_name, p.practice_name
