-- Every row of the profile view (all areas, indicators, periods): the whole-profile download.
-- No params.
select p.* from profile as p
join areas as a using (area_code)
order by p.domain_order, p.sort_order, a.sort_order, p.period, p.sex
