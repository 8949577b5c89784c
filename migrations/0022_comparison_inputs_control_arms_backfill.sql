-- Fills control_arms for the rows already stored, as every write does from now on
-- (src/store/persist-trial.ts): how many of the trial's arms have no cell source.
UPDATE `comparison_inputs` SET `control_arms` = (
  SELECT count(*) FROM `arms` a WHERE a.`trial_id` = `comparison_inputs`.`trial_id` AND a.`cell_source` IS NULL
);
