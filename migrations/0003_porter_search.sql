-- Full-text search matches word stems: the search index is rebuilt with FTS5's porter tokenizer
-- over unicode61 (diacritics still removed), so "fracture" finds "fractures" and "stem cell" finds
-- "stem cells". An FTS5 table's tokenizer is fixed when it is created, so the index is copied out,
-- recreated and filled again from the copy (the same rowids, i.e. trials.search_id, and the same
-- text the application wrote: title, summary, arm labels and sponsor).
CREATE TEMP TABLE `trials_fts_copy` AS
  SELECT `rowid` AS `search_id`, `title`, `brief_summary`, `arm_labels`, `sponsor` FROM `trials_fts`;
--> statement-breakpoint
DROP TABLE `trials_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `trials_fts` USING fts5(
  `title`,
  `brief_summary`,
  `arm_labels`,
  `sponsor`,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `trials_fts` (`rowid`, `title`, `brief_summary`, `arm_labels`, `sponsor`)
  SELECT `search_id`, `title`, `brief_summary`, `arm_labels`, `sponsor` FROM `trials_fts_copy`;
--> statement-breakpoint
DROP TABLE `trials_fts_copy`;
