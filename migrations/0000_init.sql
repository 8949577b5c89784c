CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	CONSTRAINT "api_keys_role_check" CHECK("role" IN ('editor', 'admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_name_unique` ON `api_keys` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_hash_unique` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `arms` (
	`id` text PRIMARY KEY NOT NULL,
	`trial_id` text NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`type` text NOT NULL,
	`participants` integer,
	`cell_source` text,
	`cell_type` text,
	`donor` text,
	`route` text,
	`comparator` text,
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "arms_type_check" CHECK("type" IN ('EXPERIMENTAL', 'ACTIVE_COMPARATOR', 'PLACEBO_COMPARATOR', 'SHAM_COMPARATOR', 'NO_INTERVENTION', 'OTHER')),
	CONSTRAINT "arms_cell_source_check" CHECK("cell_source" IN ('BONE_MARROW', 'ADIPOSE', 'UMBILICAL_CORD', 'CORD_BLOOD', 'PLACENTA', 'DENTAL_PULP', 'PERIPHERAL_BLOOD', 'IPSC', 'EMBRYONIC', 'OTHER', 'NOT_REPORTED')),
	CONSTRAINT "arms_cell_type_check" CHECK("cell_type" IN ('MSC', 'MONONUCLEAR_CELLS', 'STROMAL_VASCULAR_FRACTION', 'EXTRACELLULAR_VESICLES', 'OSTEOPROGENITORS', 'HEMATOPOIETIC', 'OTHER', 'NOT_REPORTED')),
	CONSTRAINT "arms_donor_check" CHECK("donor" IN ('AUTOLOGOUS', 'ALLOGENEIC', 'NOT_REPORTED')),
	CONSTRAINT "arms_route_check" CHECK("route" IN ('INTRAVENOUS', 'INTRAOSSEOUS', 'INTRA_ARTERIAL', 'LOCAL_INJECTION', 'SURGICAL_IMPLANT', 'OTHER', 'NOT_REPORTED')),
	CONSTRAINT "arms_comparator_check" CHECK("comparator" IN ('PLACEBO', 'BISPHOSPHONATE', 'DENOSUMAB', 'TERIPARATIDE', 'ROMOSOZUMAB', 'HORMONE_THERAPY', 'CALCIUM_VITAMIN_D', 'STANDARD_CARE', 'NONE', 'OTHER')),
	CONSTRAINT "arms_participants_check" CHECK("participants" >= 0),
	CONSTRAINT "arms_cell_fields_check" CHECK(("cell_source" IS NULL AND "cell_type" IS NULL AND "donor" IS NULL AND "route" IS NULL) OR ("cell_source" IS NOT NULL AND "cell_type" IS NOT NULL AND "donor" IS NOT NULL AND "route" IS NOT NULL AND "comparator" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `arms_trial_label_idx` ON `arms` (`trial_id`,`label`);--> statement-breakpoint
CREATE INDEX `arms_cell_idx` ON `arms` (`cell_source`,`route`,`cell_type`,`donor`,`trial_id`);--> statement-breakpoint
CREATE INDEX `arms_trial_cell_idx` ON `arms` (`trial_id`,`cell_source`,`route`,`cell_type`,`donor`,`type`);--> statement-breakpoint
CREATE INDEX `arms_route_idx` ON `arms` (`route`,`trial_id`);--> statement-breakpoint
CREATE INDEX `arms_cell_type_idx` ON `arms` (`cell_type`,`trial_id`);--> statement-breakpoint
CREATE INDEX `arms_donor_idx` ON `arms` (`donor`,`trial_id`);--> statement-breakpoint
CREATE INDEX `arms_comparator_idx` ON `arms` (`comparator`,`trial_id`);--> statement-breakpoint
CREATE INDEX `arms_type_idx` ON `arms` (`type`,`trial_id`);--> statement-breakpoint
CREATE TABLE `bmd_results` (
	`id` text PRIMARY KEY NOT NULL,
	`trial_id` text NOT NULL,
	`arm_id` text NOT NULL,
	`position` integer NOT NULL,
	`site` text NOT NULL,
	`metric` text NOT NULL,
	`method` text NOT NULL,
	`statistic` text NOT NULL,
	`timepoint_months` real NOT NULL,
	`n` integer NOT NULL,
	`mean` real NOT NULL,
	`sd` real,
	`se` real,
	`ci_lower` real,
	`ci_upper` real,
	`sd_effective` real,
	`sd_source` text,
	`note` text,
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`arm_id`) REFERENCES `arms`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "bmd_results_site_check" CHECK("site" IN ('LUMBAR_SPINE', 'FEMORAL_NECK', 'TOTAL_HIP', 'DISTAL_RADIUS', 'TOTAL_BODY', 'OTHER')),
	CONSTRAINT "bmd_results_metric_check" CHECK("metric" IN ('PERCENT_CHANGE', 'ABSOLUTE_CHANGE', 'FINAL_VALUE', 'T_SCORE', 'T_SCORE_CHANGE')),
	CONSTRAINT "bmd_results_method_check" CHECK("method" IN ('DXA', 'QCT', 'OTHER', 'NOT_REPORTED')),
	CONSTRAINT "bmd_results_statistic_check" CHECK("statistic" IN ('MEAN', 'LS_MEAN', 'MEDIAN')),
	CONSTRAINT "bmd_results_sd_source_check" CHECK("sd_source" IN ('REPORTED', 'FROM_SE', 'FROM_CI')),
	CONSTRAINT "bmd_results_n_check" CHECK("n" >= 1),
	CONSTRAINT "bmd_results_timepoint_check" CHECK("timepoint_months" >= 0),
	CONSTRAINT "bmd_results_spread_check" CHECK(("sd" IS NULL OR "sd" >= 0) AND ("se" IS NULL OR "se" >= 0)),
	CONSTRAINT "bmd_results_ci_check" CHECK("ci_lower" IS NULL OR "ci_upper" IS NULL OR "ci_lower" < "ci_upper")
);
--> statement-breakpoint
CREATE INDEX `bmd_results_arm_idx` ON `bmd_results` (`arm_id`,`site`,`metric`,`method`);--> statement-breakpoint
CREATE INDEX `bmd_results_trial_idx` ON `bmd_results` (`trial_id`);--> statement-breakpoint
CREATE INDEX `bmd_results_site_metric_idx` ON `bmd_results` (`site`,`metric`,`method`,`timepoint_months`);--> statement-breakpoint
CREATE TABLE `catalogue_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`data_version` integer NOT NULL,
	CONSTRAINT "catalogue_state_single_row" CHECK("id" = 1)
);
--> statement-breakpoint
CREATE TABLE `registry_ids` (
	`registry_id` text PRIMARY KEY NOT NULL,
	`trial_id` text NOT NULL,
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `registry_ids_trial_idx` ON `registry_ids` (`trial_id`);--> statement-breakpoint
CREATE TABLE `revisions` (
	`trial_id` text NOT NULL,
	`version` integer NOT NULL,
	`action` text NOT NULL,
	`changed_by` text NOT NULL,
	`changed_at` text NOT NULL,
	`snapshot` text NOT NULL,
	PRIMARY KEY(`trial_id`, `version`),
	CONSTRAINT "revisions_action_check" CHECK("action" IN ('CREATE', 'UPDATE', 'DELETE'))
);
--> statement-breakpoint
CREATE TABLE `trial_countries` (
	`trial_id` text NOT NULL,
	`country` text NOT NULL,
	PRIMARY KEY(`trial_id`, `country`),
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "trial_countries_country_check" CHECK(length("country") = 2)
);
--> statement-breakpoint
CREATE INDEX `trial_countries_country_idx` ON `trial_countries` (`country`,`trial_id`);--> statement-breakpoint
CREATE TABLE `trial_documents` (
	`trial_id` text PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `trial_phases` (
	`trial_id` text NOT NULL,
	`phase` text NOT NULL,
	PRIMARY KEY(`trial_id`, `phase`),
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "trial_phases_phase_check" CHECK("phase" IN ('EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'))
);
--> statement-breakpoint
CREATE INDEX `trial_phases_phase_idx` ON `trial_phases` (`phase`,`trial_id`);--> statement-breakpoint
CREATE TABLE `trial_references` (
	`trial_id` text NOT NULL,
	`position` integer NOT NULL,
	`pmid` text,
	`doi` text,
	`citation` text NOT NULL,
	`url` text,
	PRIMARY KEY(`trial_id`, `position`),
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `trials` (
	`id` text PRIMARY KEY NOT NULL,
	`search_id` integer NOT NULL,
	`title` text NOT NULL,
	`brief_summary` text,
	`study_type` text NOT NULL,
	`overall_status` text NOT NULL,
	`allocation` text,
	`masking` text,
	`enrollment_count` integer,
	`enrollment_type` text,
	`start_date` text,
	`start_sort` text,
	`start_year` integer,
	`completion_date` text,
	`sponsor` text,
	`population` text NOT NULL,
	`risk_of_bias` text,
	`provenance_kind` text NOT NULL,
	`has_bmd_results` integer NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "trials_study_type_check" CHECK("study_type" IN ('INTERVENTIONAL', 'OBSERVATIONAL', 'EXPANDED_ACCESS')),
	CONSTRAINT "trials_overall_status_check" CHECK("overall_status" IN ('NOT_YET_RECRUITING', 'RECRUITING', 'ENROLLING_BY_INVITATION', 'ACTIVE_NOT_RECRUITING', 'SUSPENDED', 'TERMINATED', 'COMPLETED', 'WITHDRAWN', 'UNKNOWN')),
	CONSTRAINT "trials_allocation_check" CHECK("allocation" IN ('RANDOMIZED', 'NON_RANDOMIZED', 'NA')),
	CONSTRAINT "trials_masking_check" CHECK("masking" IN ('NONE', 'SINGLE', 'DOUBLE', 'TRIPLE', 'QUADRUPLE')),
	CONSTRAINT "trials_enrollment_type_check" CHECK("enrollment_type" IN ('ACTUAL', 'ESTIMATED')),
	CONSTRAINT "trials_population_check" CHECK("population" IN ('POSTMENOPAUSAL', 'AGE_RELATED', 'GLUCOCORTICOID_INDUCED', 'MALE', 'SECONDARY_OTHER', 'MIXED', 'NOT_REPORTED')),
	CONSTRAINT "trials_risk_of_bias_check" CHECK("risk_of_bias" IN ('LOW', 'SOME_CONCERNS', 'HIGH', 'MODERATE', 'SERIOUS', 'CRITICAL')),
	CONSTRAINT "trials_provenance_kind_check" CHECK("provenance_kind" IN ('REGISTRY', 'PUBLICATION', 'ILLUSTRATIVE', 'USER')),
	CONSTRAINT "trials_enrollment_count_check" CHECK("enrollment_count" >= 0),
	CONSTRAINT "trials_has_bmd_results_check" CHECK("has_bmd_results" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trials_search_id_unique` ON `trials` (`search_id`);--> statement-breakpoint
CREATE INDEX `trials_status_idx` ON `trials` (`overall_status`);--> statement-breakpoint
CREATE INDEX `trials_study_type_idx` ON `trials` (`study_type`);--> statement-breakpoint
CREATE INDEX `trials_allocation_idx` ON `trials` (`allocation`);--> statement-breakpoint
CREATE INDEX `trials_population_idx` ON `trials` (`population`);--> statement-breakpoint
CREATE INDEX `trials_provenance_kind_idx` ON `trials` (`provenance_kind`);--> statement-breakpoint
CREATE INDEX `trials_risk_of_bias_idx` ON `trials` (`risk_of_bias`);--> statement-breakpoint
CREATE INDEX `trials_has_bmd_results_idx` ON `trials` (`has_bmd_results`);--> statement-breakpoint
CREATE INDEX `trials_enrollment_idx` ON `trials` (`enrollment_count`,`id`);--> statement-breakpoint
CREATE INDEX `trials_start_sort_idx` ON `trials` (`start_sort`,`id`);--> statement-breakpoint
CREATE INDEX `trials_start_year_idx` ON `trials` (`start_year`);--> statement-breakpoint
CREATE INDEX `trials_updated_at_idx` ON `trials` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `trials_title_idx` ON `trials` (`title`,`id`);