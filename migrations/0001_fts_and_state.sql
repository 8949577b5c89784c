-- Full-text search over title, summary, arm labels and sponsor, keyed by trials.search_id. The
-- application keeps it in step with the trial rows inside each write transaction (arm labels live
-- in another table, so a trigger on one table could not see them all).
CREATE VIRTUAL TABLE `trials_fts` USING fts5(
  `title`,
  `brief_summary`,
  `arm_labels`,
  `sponsor`,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `catalogue_state` (`id`, `data_version`) VALUES (1, 0);
