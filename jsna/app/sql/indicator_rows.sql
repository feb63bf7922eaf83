-- Every row of one indicator (all areas, periods and sexes): the indicator download.
-- Params: $indicator_id
select p.* from profile as p
join areas as a using (area_code)
where p.indicator_id = $indicator_id
order by a.sort_order, p.period, p.sex
