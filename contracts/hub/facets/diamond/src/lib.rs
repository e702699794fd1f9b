//! Diamond facet (in progress).
