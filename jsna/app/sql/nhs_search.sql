-- English NHS areas matching the search text (case ignored; no wildcards): those whose code
-- starts with it or whose name contains it, then every area inside one of those (the PCNs and
-- practices of a matching sub-ICB, the practices of a matching PCN), so "15F" or "West
-- Yorkshire" lists the PCNs there too. `via` names the matching area an area was found
-- through (null when the area itself matches). Exact codes first, then the areas that match
-- themselves, then larger areas, then by name. At most $limit. Params: $text, $limit
with q as (select upper(trim($text)) as code, lower(trim($text)) as words),
hit as (
    select n.area_code, n.area_type, n.area_name
    from nhs_areas as n, q
    where n.area_type <> 'england'
      and (starts_with(n.area_code, q.code) or contains(lower(n.area_name), q.words))
)
select a.area_code, a.area_name, a.area_type,
       case when h.area_code is null then coalesce(p.area_name, s.area_name, i.area_name, r.area_name)
       end as via
from nhs_areas as a
cross join q
left join hit as h on h.area_code = a.area_code and h.area_type = a.area_type
left join hit as p on p.area_code = a.pcn_code and p.area_type = 'pcn'
left join hit as s on s.area_code = a.sub_icb_code and s.area_type = 'sub_icb'
left join hit as i on i.area_code = a.icb_code and i.area_type = 'icb'
left join hit as r on r.area_code = a.region_code and r.area_type = 'region'
where a.area_type <> 'england'
  and coalesce(h.area_code, p.area_code, s.area_code, i.area_code, r.area_code) is not null
order by a.area_code = q.code desc,
         h.area_code is null,
         case a.area_type when 'region' then 1 when 'icb' then 2 when 'sub_icb' then 3
              when 'pcn' then 4 else 5 end,
         a.area_name, a.area_code
limit $limit
