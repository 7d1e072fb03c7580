"""The initiatives' pages: `public` (the list, one initiative, its photos) and `team` (the
final report and the files only its team and coordinators see, the initiatives a community
records on its own)."""
