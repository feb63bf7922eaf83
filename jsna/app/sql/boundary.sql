-- The simplified GeoJSON FeatureCollection of one layer (one per ward set and its neighbourhoods,
-- LSOA layers and the local authority, as named in place.toml).
-- Params: $layer
select geojson from boundaries where layer = $layer
