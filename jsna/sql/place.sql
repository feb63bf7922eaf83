-- One row: the place (the council, England and the current ward set). No params.
select code, name, england_code, england_name, current_ward_set from place
