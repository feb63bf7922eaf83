-- One row per member of a place group (wards with their ward set, practices, served
-- neighbourhoods, peer councils), in profile order within each group. No params.
select group_code, member_type, ward_set, member_code
from place_group_members
order by group_code, member_type, ward_set, sort_order
