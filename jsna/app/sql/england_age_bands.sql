-- One row per 5-year age band for England's residents (persons, Census 2021 TS007). No params.
select age_band, band_start, count, percent, period
from england_age_bands
order by band_start
