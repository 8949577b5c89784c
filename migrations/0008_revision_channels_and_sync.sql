CREATE TABLE `registry_syncs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`query` text NOT NULL,
	`since` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	`outcome` text NOT NULL,
	`counts` text,
	CONSTRAINT "registry_syncs_outcome_check" CHECK("outcome" IN ('RUNNING', 'COMPLETED', 'REFUSALS', 'FAILED'))
);
--> statement-breakpoint
CREATE INDEX `registry_syncs_outcome_idx` ON `registry_syncs` (`outcome`,`started_at`);--> statement-breakpoint
-- Added in place (rows before this migration keep a null channel: written before channels were recorded).
ALTER TABLE `revisions` ADD `channel` text CONSTRAINT "revisions_channel_check" CHECK("channel" IN ('API', 'IMPORT', 'SYNC'));--> statement-breakpoint
ALTER TABLE `revisions` ADD `note` text;
