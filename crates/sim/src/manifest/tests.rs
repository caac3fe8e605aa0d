//! Golden tests: each `tests/manifest/*.yaml` holds settings and a manifest; the matching
//! `.out` file holds what `apply` produced. `UPDATE_GOLDEN=1 cargo test -p podsim manifest`
//! rewrites the `.out` files after a deliberate change.
