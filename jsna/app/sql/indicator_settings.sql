-- One row per indicator: its metadata and the settings the app uses (source list, fixed
-- England value, multiplier, trend by counts), in profile order. No params.
select i.*, s.sources as source_list, s.england_value, s.multiplier, s.trend_by_counts
from indicators as i
join indicator_settings as s using (indicator_id)
order by s.sort_order
