-- One row per QOF register for one kind of English NHS area: phi and tau² (Spiegelhalter's
-- overdispersion), rankability, and how many areas lie outside England's plain 99.8% limits
-- and outside the limits that allow for real variation. Params: $area_type
select d.area_type, d.indicator_id, i.indicator_name, d.areas, d.phi, d.tau2, d.rankability,
       d.plain_higher, d.plain_lower, d.peers_higher, d.peers_lower
from national_dispersion as d
join indicators as i on i.indicator_id = d.indicator_id
where d.area_type = $area_type
order by i.domain_order, i.sort_order
