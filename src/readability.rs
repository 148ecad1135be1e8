//! Readability scores for patient-facing prose (written by a helper; see docs/readability.md).
