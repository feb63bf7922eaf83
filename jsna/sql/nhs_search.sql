-- English NHS areas whose code starts with, or whose name contains, the search text (case
-- ignored; no wildcards): exact codes first, then larger areas, then by name. At most $limit.
-- Params: $text, $limit
select area_code, area_name, area_type
from nhs_areas
where area_type <> 'england'
  and (starts_with(area_code, upper(trim($text)))
       or contains(lower(area_name), lower(trim($text))))
order by area_code = upper(trim($text)) desc,
         case area_type when 'region' then 1 when 'icb' then 2 when 'sub_icb' then 3
              when 'pcn' then 4 else 5 end,
         area_name, area_code
limit $limit
