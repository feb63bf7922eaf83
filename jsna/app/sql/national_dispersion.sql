-- One row per kind of English NHS area for one QOF register: phi and tau² (Spiegelhalter's
-- overdispersion), rankability, and how many areas lie outside England's plain 99.8% limits
-- and outside the limits that allow for real variation. Params: $indicator_id, $area_type
select area_type, indicator_id, areas, phi, tau2, rankability,
       plain_higher, plain_lower, peers_higher, peers_lower
from national_dispersion
where indicator_id = $indicator_id and area_type = $area_type
