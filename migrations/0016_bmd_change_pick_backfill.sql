-- Marks, per arm, site, metric, method and statistic, the latest result after baseline (ties: a
-- reported SD, then a derived one, then the lowest id), as every write does from now on
-- (src/store/persist-trial.ts, src/domain/latest-change.ts).
UPDATE `bmd_results` SET `change_pick` = 1 WHERE `id` IN (
  SELECT `id` FROM (
    SELECT `id`, row_number() OVER (
      PARTITION BY `arm_id`, `site`, `metric`, `method`, `statistic`
      ORDER BY `timepoint_months` DESC, `sd` IS NULL, `sd_effective` IS NULL, `id`
    ) AS `pick`
    FROM `bmd_results` WHERE `timepoint_months` > 0
  ) WHERE `pick` = 1
);
