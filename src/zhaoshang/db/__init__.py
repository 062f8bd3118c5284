"""Engine factory, units of work, schema checks and programmatic migrations."""
