//! Sample registers (being written).
