-- The postcode of the council with this key (no spaces, upper case): its ward, neighbourhood, LSOA
-- and location; no row if it is not a postcode of the council. Params: $postcode_key
select pc.postcode, pc.ward_code, w.area_name as ward_name, pc.neighbourhood_code,
       n.area_name as neighbourhood_name, pc.lsoa_code, pc.lon, pc.lat
from postcodes as pc
left join areas as w on w.area_code = pc.ward_code
left join areas as n on n.area_code = pc.neighbourhood_code
where pc.postcode_key = $postcode_key
