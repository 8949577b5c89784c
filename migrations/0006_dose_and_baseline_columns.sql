ALTER TABLE `arms` ADD `cells_per_kg` real;--> statement-breakpoint
ALTER TABLE `arms` ADD `cells` real;--> statement-breakpoint
ALTER TABLE `arms` ADD `administrations` integer;--> statement-breakpoint
ALTER TABLE `trials` ADD `baseline_mean_age` real;--> statement-breakpoint
ALTER TABLE `trials` ADD `baseline_mean_t_score` real;