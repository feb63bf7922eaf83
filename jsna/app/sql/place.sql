-- One row: the place (the council, England, the current ward set, what it lacks). No params.
select code, name, england_code, england_name, current_ward_set, not_available from place
