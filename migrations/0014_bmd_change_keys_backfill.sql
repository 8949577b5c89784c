-- Copies each result's trial status, population and provenance kind and its arm's cell source and
-- route onto the result, as every write does from now on (src/store/persist-trial.ts).
UPDATE `bmd_results` SET
  `trial_status` = t.overall_status,
  `trial_population` = t.population,
  `trial_provenance` = t.provenance_kind
FROM `trials` t WHERE t.id = `bmd_results`.`trial_id`;
--> statement-breakpoint
UPDATE `bmd_results` SET
  `arm_cell_source` = a.cell_source,
  `arm_route` = a.route
FROM `arms` a WHERE a.id = `bmd_results`.`arm_id`;
