-- One row per GP practice of the place (its PCN or its site's neighbourhood is the local
-- authority's): PCN, list size, site neighbourhood and location. Params: $la_code
select p.*, a.area_name as neighbourhood_name
from practices as p
left join areas as a on a.area_code = p.neighbourhood_code
where p.pcn_code in (select area_code from areas where parent_code = $la_code)
   or p.neighbourhood_code in (select area_code from areas where parent_code = $la_code)
order by p.pcn_name, p.practice_name
