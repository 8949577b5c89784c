ALTER TABLE `bmd_results` ADD `trial_status` text;--> statement-breakpoint
ALTER TABLE `bmd_results` ADD `trial_population` text;--> statement-breakpoint
ALTER TABLE `bmd_results` ADD `trial_provenance` text;--> statement-breakpoint
ALTER TABLE `bmd_results` ADD `arm_cell_source` text;--> statement-breakpoint
ALTER TABLE `bmd_results` ADD `arm_route` text;--> statement-breakpoint
CREATE INDEX `bmd_results_change_idx` ON `bmd_results` (`trial_status`,`trial_population`,`arm_id`,`site`,`metric`,`method`,`statistic`,`timepoint_months`,`arm_cell_source`,`arm_route`,`trial_provenance`,`trial_id`,`n`,`mean`,`sd`,`sd_effective`,`sd_source`,`id`);