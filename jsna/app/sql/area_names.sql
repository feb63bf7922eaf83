-- Every area's code, name, type and ward set (for picker labels, built once). No params.
select area_code, area_name, area_type, vintage from areas
