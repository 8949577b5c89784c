ALTER TABLE `arms` ADD `trial_status` text;--> statement-breakpoint
ALTER TABLE `arms` ADD `trial_allocation` text;--> statement-breakpoint
ALTER TABLE `arms` ADD `trial_start_sort` text;--> statement-breakpoint
ALTER TABLE `arms` ADD `trial_enrollment` integer;--> statement-breakpoint
CREATE INDEX `arms_list_start_idx` ON `arms` (`cell_source`,`route`,`trial_start_sort`,`trial_id`,`trial_status`,`trial_allocation`,`id`);--> statement-breakpoint
CREATE INDEX `arms_list_enrollment_idx` ON `arms` (`cell_source`,`route`,`trial_enrollment`,`trial_id`,`trial_status`,`trial_allocation`,`id`);