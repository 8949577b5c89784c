ALTER TABLE `trials` ADD `phase_mask` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `trials` ADD `cell_source_mask` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `trials` ADD `route_mask` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `trials_counts_idx` ON `trials` (`overall_status`,`population`,`provenance_kind`,`phase_mask`,`cell_source_mask`,`route_mask`);