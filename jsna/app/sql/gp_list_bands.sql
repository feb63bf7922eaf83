-- One row per published age band of the registered list (April 2020) for one PCN or practice,
-- and for England. Params: $area_code, $england_code
select area_code, area_type, age_band, band_start, count, suppressed, period
from gp_list_bands
where area_code in ($area_code, $england_code)
order by area_code = $england_code, band_start
