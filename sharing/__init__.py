"""Publishing aggregate snapshots, shared read-only links, small-number suppression and exports."""
