-- Key/value facts about the build (built_at, source). No params.
select key, value from build_info
