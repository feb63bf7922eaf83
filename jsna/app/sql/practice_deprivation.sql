-- One row per practice for one indicator at its headline period, with the practice's IMD 2019
-- score (interpolated to its patients) and PCN. Params: $indicator_id
select p.area_code, p.area_name, pr.pcn_name, p.value, p.lower_ci95, p.upper_ci95, p.count,
       p.denominator, p.period, m.imd_score, m.year as imd_year
from profile as p
join indicators as i using (indicator_id)
left join practice_imd as m on m.practice_code = p.area_code
left join practices as pr on pr.practice_code = p.area_code
where p.indicator_id = $indicator_id and p.area_type = 'practice' and p.period = i.period
  and p.sex = 'Persons' and p.age = 'All ages'
order by m.imd_score
