-- Fills comparison_inputs for the trials already stored, as every write does from now on
-- (src/store/persist-trial.ts): one row per trial, site, metric and distinct cell source × route
-- among the trial's cell-therapy arms (`''` for a trial without one, and for an arm without a
-- route). The JSON layout is src/domain/comparison-inputs.ts's, as in 0018: the trial's title,
-- provenance kind and risk of bias; all its arms in position order; its results at the site and
-- metric ordered by method, then position.
INSERT INTO `comparison_inputs` (`site`, `metric`, `cell_source`, `route`, `trial_id`, `trial_status`, `trial_allocation`, `inputs`)
SELECT o.`site`, o.`metric`, k.`cell_source`, k.`route`, t.`id`, t.`overall_status`, t.`allocation`,
  json_array(
    json_array(t.`title`, t.`provenance_kind`, t.`risk_of_bias`),
    (SELECT json_group_array(json_array(a.`id`, a.`label`, a.`cell_source`, a.`cell_type`, a.`donor`, a.`route`,
        a.`comparator`, a.`cells_per_kg`, a.`cells`, a.`administrations`) ORDER BY a.`position`)
       FROM `arms` a WHERE a.`trial_id` = t.`id`),
    (SELECT json_group_array(json_array(r.`id`, r.`arm_id`, r.`method`, r.`statistic`, r.`timepoint_months`, r.`n`,
        r.`mean`, r.`sd`, r.`sd_effective`, r.`sd_source`) ORDER BY r.`method`, r.`position`)
       FROM `bmd_results` r WHERE r.`trial_id` = t.`id` AND r.`site` = o.`site` AND r.`metric` = o.`metric`)
  )
FROM (SELECT DISTINCT `trial_id`, `site`, `metric` FROM `bmd_results`) o
JOIN `trials` t ON t.`id` = o.`trial_id`
JOIN (
  SELECT DISTINCT `trial_id`, `cell_source`, coalesce(`route`, '') AS `route` FROM `arms` WHERE `cell_source` IS NOT NULL
  UNION ALL
  SELECT t2.`id`, '', '' FROM `trials` t2
   WHERE NOT EXISTS (SELECT 1 FROM `arms` a2 WHERE a2.`trial_id` = t2.`id` AND a2.`cell_source` IS NOT NULL)
) k ON k.`trial_id` = t.`id`;
