-- The simplified GeoJSON FeatureCollection of one layer (ward_2004, ward_2023,
-- neighbourhood_2004, neighbourhood_2023, lsoa_2011, lsoa_2021, local_authority).
-- Params: $layer
select geojson from boundaries where layer = $layer
