-- One row per LSOA for one indicator at its headline period: count, denominator and the LSOA's
-- IMD 2019 national decile (NULL where the LSOA has none). Params: $indicator_id
select p.area_code, p.area_name, p.count, p.denominator, p.value, p.period,
       d.lsoa11_code, d.imd_score, d.imd_decile
from profile as p
join indicators as i using (indicator_id)
left join lsoa_imd as d on d.lsoa_code = p.area_code
where p.indicator_id = $indicator_id and p.area_type = 'lsoa' and p.period = i.period
  and p.sex = 'Persons' and p.age = 'All ages'
order by p.area_code
