-- One row per sex and 5-year age band for one area (the council, a 2023 ward or a neighbourhood),
-- mid-year estimates; count is NULL where suppressed. Params: $area_code
select sex, age_band, band_start, count, suppressed, period, source
from population_bands
where area_code = $area_code
order by sex, band_start
