-- The stored comparison inputs keyed by site, metric, then the cell source and route of the trial's
-- cell-therapy arms: the commonest question, one cell source × route at an outcome, becomes one
-- contiguous range instead of a seek per trial. The rows are rebuilt from the arm and result tables
-- by the next migration. WITHOUT ROWID is added by hand, as in 0017 (drizzle's schema cannot say it).
DROP TABLE `comparison_inputs`;
--> statement-breakpoint
CREATE TABLE `comparison_inputs` (
	`site` text NOT NULL,
	`metric` text NOT NULL,
	`cell_source` text NOT NULL,
	`route` text NOT NULL,
	`trial_id` text NOT NULL,
	`trial_status` text,
	`trial_allocation` text,
	`inputs` text NOT NULL,
	PRIMARY KEY(`site`, `metric`, `cell_source`, `route`, `trial_id`),
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `comparison_inputs_trial_idx` ON `comparison_inputs` (`trial_id`);
