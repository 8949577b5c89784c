-- WITHOUT ROWID is added by hand (drizzle's schema cannot say it): each row is stored in its
-- primary key's B-tree, so a range of one site and metric is read in key order with no second lookup.
CREATE TABLE `comparison_inputs` (
	`site` text NOT NULL,
	`metric` text NOT NULL,
	`trial_id` text NOT NULL,
	`trial_status` text,
	`trial_allocation` text,
	`inputs` text NOT NULL,
	PRIMARY KEY(`site`, `metric`, `trial_id`),
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `comparison_inputs_trial_idx` ON `comparison_inputs` (`trial_id`);