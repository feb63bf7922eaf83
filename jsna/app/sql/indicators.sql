-- One row per indicator: its definition and metadata, in profile order. No params.
select * from indicators order by domain_order, sort_order
