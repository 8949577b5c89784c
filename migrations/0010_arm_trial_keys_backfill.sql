-- Copies each trial's status, allocation, start-date sort key and enrollment onto its arms, as
-- every write does from now on (src/store/persist-trial.ts).
UPDATE `arms` SET
  `trial_status` = t.overall_status,
  `trial_allocation` = t.allocation,
  `trial_start_sort` = t.start_sort,
  `trial_enrollment` = t.enrollment_count
FROM `trials` t WHERE t.id = `arms`.`trial_id`;
