DROP INDEX `arms_cell_idx`;--> statement-breakpoint
CREATE INDEX `arms_cell_idx` ON `arms` (`cell_source`,`route`,`cell_type`,`donor`,`trial_id`,`id`);