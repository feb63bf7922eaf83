-- Every row of the profile view (all areas, indicators, periods): the whole-profile download,
-- written to CSV by DuckDB (jsna.app.downloads.copy_csv).
-- No params.
select p.* from profile as p
join areas as a using (area_code)
order by p.domain_order, p.sort_order, a.sort_order, p.period, p.sex
