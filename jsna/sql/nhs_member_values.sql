-- One QOF register for every English NHS area of one type inside a parent area (2022/23
-- membership; a PCN counts under its listed sub-ICB), shaped like indicator_values rows.
-- Params: $indicator_id, $area_type, $parent_code, $parent_type
select v.area_code, a.area_name, v.area_type, null as vintage,
       v.indicator_id, i.indicator_name, i.domain, i.domain_order, i.sort_order, i.period,
       'Persons' as sex,
       'All ages' as age, i.unit, i.value_type, i.polarity,
       v.value, v.lower_ci95, v.upper_ci95, v.lower_ci998, v.upper_ci998,
       v.count, v.denominator, v.england_value, null::double as la_value,
       'England' as benchmark, v.england_value as benchmark_value, v.comparison,
       '' as comparison_reason, i.ci_method_label as method, false as is_estimate, v.note,
       'Registered patients (NHS England 2022/23 membership)' as population,
       v.rank, v.of, v.decile, v.membership
from national_values as v
join nhs_areas as a on a.area_code = v.area_code and a.area_type = v.area_type
join indicators as i on i.indicator_id = v.indicator_id
where v.indicator_id = $indicator_id and v.area_type = $area_type
  and case $parent_type
        when 'england' then true
        when 'region' then a.region_code = $parent_code
        when 'icb' then a.icb_code = $parent_code
        when 'sub_icb' then a.sub_icb_code = $parent_code
        when 'pcn' then a.pcn_code = $parent_code
        else false
      end
order by v.value desc nulls last, a.area_name
