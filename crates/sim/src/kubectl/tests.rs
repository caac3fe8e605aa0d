//! Whole-output tests over hand-built traces.
