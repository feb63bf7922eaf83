-- One row per period and sex for one indicator in the council and England (time series).
-- Params: $indicator_id, $la_code, $england_code
select area_code, area_name, period, sex, value, comparison
from profile
where indicator_id = $indicator_id and area_code in ($la_code, $england_code)
order by period, area_code, sex
