-- One row per QOF register: the lowest, quartiles and highest value among every English NHS
-- area of one type (the grey bars of a spine chart). Params: $area_type
select indicator_id, 'Persons' as sex,
       min(value) as min_value,
       quantile_cont(value, 0.25) as q25,
       quantile_cont(value, 0.75) as q75,
       max(value) as max_value,
       count(value) as n_areas
from national_values
where area_type = $area_type and value is not null
group by indicator_id
