-- One row per domain of the indicator profile, in profile order. No params.
select domain_id, domain, domain_order from domains order by domain_order
