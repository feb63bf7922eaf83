-- Every QOF register for one English NHS area (2022/23 membership), shaped like rows of the
-- profile view (compared with England; no judgement), with rank and decile among the areas
-- of its type. Params: $area_code, $area_type
select v.area_code, a.area_name, v.area_type, null as vintage,
       v.indicator_id, i.indicator_name, i.domain, i.domain_order, i.sort_order, i.period,
       'Persons' as sex,
       'All ages' as age, i.unit, i.value_type, i.polarity,
       v.value, v.lower_ci95, v.upper_ci95, v.lower_ci998, v.upper_ci998,
       v.count, v.denominator, v.england_value, null::double as la_value,
       'England' as benchmark, v.england_value as benchmark_value, v.comparison,
       case when v.area_type = 'england' then 'this is the benchmark' else '' end
           as comparison_reason,
       i.ci_method_label as method, false as is_estimate, v.note,
       'Registered patients (NHS England 2022/23 membership)' as population,
       v.rank, v.of, v.decile, v.membership
from national_values as v
join nhs_areas as a on a.area_code = v.area_code and a.area_type = v.area_type
join indicators as i on i.indicator_id = v.indicator_id
where v.area_code = $area_code and v.area_type = $area_type
order by i.domain_order, i.sort_order
