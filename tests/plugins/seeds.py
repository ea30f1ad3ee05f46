"""Seeds for randomised tests (filled in by the re-layout): settable, and printed when a test fails."""
