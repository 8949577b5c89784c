-- Fills comparison_inputs for the trials already stored, as every write does from now on
-- (src/store/persist-trial.ts). The JSON layout is src/domain/comparison-inputs.ts's: the trial's
-- title, provenance kind and risk of bias; all its arms in position order; its results at the
-- site and metric ordered by method, then position.
INSERT INTO `comparison_inputs` (`site`, `metric`, `trial_id`, `trial_status`, `trial_allocation`, `inputs`)
SELECT o.`site`, o.`metric`, t.`id`, t.`overall_status`, t.`allocation`,
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
JOIN `trials` t ON t.`id` = o.`trial_id`;
