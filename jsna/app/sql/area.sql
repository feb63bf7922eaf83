-- The one area with this code (zero rows if unknown). Params: $area_code
select area_code, area_name, area_type, vintage, parent_code
from areas
where area_code = $area_code
