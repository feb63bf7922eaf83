"""The recipes: one function per source kind, `RECIPES[kind](sources, geography, indicator)`.

Each returns the value rows (`jsna.schema.VALUE_COLUMNS`) of one indicator for every area it
covers. The files come from the place's `[source.<name>]` table, the settings from the
indicator's `build`.
"""

from __future__ import annotations

from jsna.recipes.census import census_age_share, census_share
from jsna.recipes.common import Recipe
from jsna.recipes.fingertips import fingertips_la, fingertips_practice
from jsna.recipes.fingertipsnext import fingertipsnext_la
from jsna.recipes.gp import gp_list_share, practice_count, qof_prevalence, registered_patients
from jsna.recipes.population import imd_lsoa, mye_total, ward_estimate

RECIPES: dict[str, Recipe] = {
    "census_share": census_share,
    "census_age_share": census_age_share,
    "mye_total": mye_total,
    "imd_lsoa": imd_lsoa,
    "ward_estimate": ward_estimate,
    "fingertips_la": fingertips_la,
    "fingertips_practice": fingertips_practice,
    "qof_prevalence": qof_prevalence,
    "gp_list_share": gp_list_share,
    "registered_patients": registered_patients,
    "practice_count": practice_count,
    "fingertipsnext_la": fingertipsnext_la,
}
