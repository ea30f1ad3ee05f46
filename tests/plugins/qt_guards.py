"""Qt guards for every test (filled in by the re-layout): fail a test that leaves a QThread or QTimer running."""
